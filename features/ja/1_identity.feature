# language: ja
@step-1 @part-5
機能: サインインして、チュートリアルが誰として動くかを確かめる
  シリーズは AWS コンソールから始まる。サインインしたら、画面右上に表示されるアカウントと
  リージョンを確かめる。チュートリアルが作るものはすべて、そのアカウントのそのリージョンに
  作られ、そこに課金されるからだ。コマンドラインでは、チュートリアルは AWS の設定が指す
  誰かとして動く。だから最初のステップで、アカウント、ID、リージョンをはっきり示す。
  サインインしていないときは、トレースバックではなく、何を設定すればよいかを一行で伝える。

  ルール: チュートリアルは、使うアカウント、ID、リージョンを示す

    @tutorial
    シナリオ: サインインしていれば、自分のアカウント、ID、リージョンが表示される
      前提ノートブックは eu-west-1 で動いている
      もし自分が誰かを尋ねる
      ならば自分のアカウント、ID、リージョン eu-west-1 が表示される

  ルール: サインインしていないことは、何を設定すればよいかを示す一行で伝える

    シナリオアウトライン: <situation>ときは、何を設定すればよいかが伝えられる
      前提<situation>
      もしAWS アカウントに対して自分が誰かを尋ねる
      ならば「<message>」と表示される

      例:
        | situation                        | message                                          |
        | AWS の認証情報がない             | no AWS credentials found: run `aws configure`    |
        | AWS の認証情報の期限が切れている | your AWS credentials have expired (ExpiredToken) |
        | AWS が認めない認証情報を使っている | AWS does not recognise these credentials       |
        | AWS のリージョンが設定されていない | no AWS region configured: pass --region        |
