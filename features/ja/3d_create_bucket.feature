# language: ja
@step-3d @part-6
機能: トレーニングデータを置くバケットを作る
  トレーニングは S3 からデータを読み、できたモデルを S3 に書き戻す。だからノートブックには、
  自分のリージョンに自分用のバケットが要る。チュートリアルのセルは us-east-1 かどうかを
  手で場合分けし、エラーが起きても表示するだけで先へ進む。そのため、us-east-1 以外で
  リクエストを誤った読者は IllegalLocationConstraintException に、セルを二度実行した読者は
  BucketAlreadyOwnedByYou に出会う。S3 の命名規則に反する名前は、AWS に届いてはじめて
  拒否される。ここでは、バケットはノートブックのリージョンに作られ、ステップをもう一度実行
  しても害はなく、不正な名前は何も送らないうちに拒否され、新しいバケットは最初から非公開だ。

  ルール: バケットはノートブックのリージョンにできる

    @tutorial
    シナリオアウトライン: <region> から作ったバケットは <region> にある
      前提ノートブックは <region> で動いている
      もしチュートリアルのバケットを作る
      ならばバケットは <region> にある

      例:
        | region         |
        | us-east-1      |
        | us-east-2      |
        | us-west-2      |
        | eu-west-1      |
        | ap-northeast-1 |

  ルール: S3 は us-east-1 を除くどこでも、リクエストにリージョンが書かれていることを求める

    シナリオ: us-east-1 の外では、リージョンを書かないリクエストは拒否される
      前提ノートブックは eu-west-1 で動いている
      もしリージョンを指定せずにバケットを作るリクエストを送る
      ならばS3 はリクエストを IllegalLocationConstraintException で拒否する

    シナリオ: us-east-1 では、us-east-1 と書いたリクエストは拒否される
      前提ノートブックは us-east-1 で動いている
      もしリージョンに us-east-1 を指定してバケットを作るリクエストを送る
      ならばS3 はリクエストを InvalidLocationConstraint で拒否する

    シナリオアウトライン: <region> から送るチュートリアルのリクエストには <named> と書かれる
      前提ノートブックは <region> で動いている
      もしチュートリアルのバケットを作る
      ならばS3 へのリクエストでは、バケットのリージョンに <named> が指定される
      かつバケットは <region> にある

      例:
        | region         | named          |
        | us-east-1      | no region      |
        | eu-west-1      | eu-west-1      |
        | ap-northeast-1 | ap-northeast-1 |

  ルール: 名前を指定しなければ、バケットはアカウントとリージョンから名付けられる

    シナリオ: 既定の名前は sagemaker-tutorial、アカウント ID、リージョンをつないだものだ
      前提ノートブックは eu-west-1 で動いている
      もし名前を指定せずにチュートリアルのバケットを作る
      ならばバケットは自分のアカウントと eu-west-1 にちなんで、sagemaker-tutorial-123456789012-eu-west-1 のように名付けられる

  ルール: ステップをもう一度実行しても害はない

    シナリオアウトライン: <region> でもう一度実行すると、バケットはそのまま残り、そう表示される
      前提ノートブックは <region> で動いている
      かつチュートリアルのバケットがすでにある
      もしチュートリアルのバケットを作る
      ならばバケットはすでにあり、自分のものだと表示される
      かつバケットのどの設定も、違うとは報告されない

      例:
        | region         |
        | us-east-1      |
        | eu-west-1      |
        | ap-northeast-1 |

    シナリオ: 別のリージョンにある同じ名前の自分のバケットを、このリージョンのものと取り違えない
      前提ノートブックは eu-west-1 で動いている
      かつ同じ名前のバケットを us-west-2 にすでに持っている
      もしチュートリアルのバケットを作る
      ならば「but it stands in us-west-2, not eu-west-1: run in us-west-2」と表示される

  ルール: バケット名は全世界で一つなので、別のアカウントが持つ名前は使えない

    @moto-only
    シナリオ: 別のアカウントが持つ名前は拒否され、別の名前を選ぶよう求められる
      前提別の AWS アカウントが同じ名前のバケットを持っている
      もしチュートリアルのバケットを作る
      ならば「is taken by another AWS account」と表示される
      かつ「pick another name with --bucket」と表示される

  ルール: 名前は、何かを送る前に S3 の命名規則に照らして確かめられる

    シナリオアウトライン: 名前 <name> は拒否される（<rule>）
      もしバケット <name> を作る
      ならば「<rule>」と表示される
      かつAWS には何も送られない

      例:
        | name                                                             | rule                                                              |
        | ab                                                               | must be 3 to 63 characters long                                   |
        | sagemaker-tutorial-bucket-for-the-bank-marketing-data-in-tokyo-1 | must be 3 to 63 characters long                                   |
        | My-Tutorial-Bucket                                               | may not contain upper-case letters                                |
        | my_tutorial_bucket                                               | may contain only lower-case letters, digits, dots and hyphens     |
        | -my-tutorial-bucket                                              | must begin with a letter or digit                                 |
        | my-tutorial-bucket-                                              | must end with a letter or digit                                   |
        | my..tutorial.bucket                                              | may not contain two adjacent dots                                 |
        | 192.168.5.4                                                      | may not be formatted as an IP address                             |
        | xn--tutorial-bucket                                              | may not begin with the reserved prefix 'xn--'                     |
        | sthree-tutorial-bucket                                           | may not begin with the reserved prefix 'sthree-'                  |
        | amzn-s3-demo-bucket                                              | may not begin with the reserved prefix 'amzn-s3-demo-'            |
        | my-tutorial-bucket-s3alias                                       | may not end with the reserved suffix '-s3alias'                   |
        | my-tutorial-bucket--ol-s3                                        | may not end with the reserved suffix '--ol-s3'                    |
        | my-tutorial-bucket.mrap                                          | may not end with the reserved suffix '.mrap'                      |
        | my-tutorial-bucket--x-s3                                         | may not end with the reserved suffix '--x-s3'                     |
        | my-tutorial-bucket--table-s3                                     | may not end with the reserved suffix '--table-s3'                 |

  ルール: リージョンは、何かを送る前に確かめられる

    シナリオ: 存在しないリージョンは拒否される
      もしチュートリアルのバケットを xx-nowhere-9 に作る
      ならば「unknown region 'xx-nowhere-9'」と表示される
      かつAWS には何も送られない

  ルール: 新しいバケットは守りを固めて作る。すでに持っていたバケットは報告するだけで、変えない

    @tutorial
    シナリオ: 新しいバケットは非公開、暗号化済み、所有者強制で、実行のタグが付く
      もしチュートリアルのバケットを作る
      ならばバケットのブロックパブリックアクセスの 4 つの設定がすべてオンになっている
      かつバケットに入れる新しいオブジェクトは、デフォルトで SSE-S3 により暗号化される
      かつACL は無効で、バケット内のすべてのオブジェクトはバケット所有者のものになる
      かつバケットにはプロジェクトとこの実行の ID のタグが付いている

    シナリオ: パブリックアクセスを許したまま持っていたバケットは、報告されるだけで変えられない
      前提そのバケットをすでに持っていて、パブリックアクセスがブロックされていない
      もしチュートリアルのバケットを作る
      ならば「Block Public Access setting BlockPublicPolicy is off (expected on)」と警告される
      かつバケットのパブリックアクセスはブロックされないままだ
