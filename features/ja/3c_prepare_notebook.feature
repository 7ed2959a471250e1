# language: ja
@step-3c @part-6
機能: ノートブックを準備する
  何かをトレーニングする前に、ノートブックは三つのことを知っておく必要がある。動いている
  リージョン、そのリージョン向けに公開されている XGBoost のコンテナイメージ、そして SageMaker が
  その立場で動く IAM ロールだ。チュートリアルのセルは四つのリージョンのイメージを直接書き込んで
  いて(東京の読者は書き換えなければならない)、ノートブックインスタンスの上でしか動かない
  get_execution_role() を呼んでいる。ここでは、リージョンはコマンドラインか AWS の設定から、
  イメージは全リージョンを収めた SageMaker SDK のレジストリから取る。ロールはコマンドラインか、
  ノートブック自身の ID(ステップ 2 で作るノートブックインスタンスのロール)から取り、オフラインでは
  その同じロールをその場で作る。

  ルール: ノートブックは指定されたリージョンで動き、指定がなければ設定のリージョンで動く

    シナリオ: コマンドラインで指定したリージョンは、設定より優先される
      前提AWS の設定のリージョンは eu-west-1 だ
      もしノートブックを us-west-2 で準備する
      ならばノートブックは us-west-2 リージョンにあると表示される

    シナリオ: コマンドラインでリージョンを指定しなければ、設定のリージョンが使われる
      前提AWS の設定のリージョンは eu-west-1 だ
      もしノートブックを準備する
      ならばノートブックは eu-west-1 リージョンにあると表示される

    シナリオ: 実際のアカウントでは、ノートブックはリージョンを推測しない
      前提AWS の設定のリージョンは未設定だ
      もしライブバックエンドでノートブックを準備する
      ならば「no AWS region configured: pass --region」と表示される
      かつAWS には何も送られない

    @tutorial
    シナリオ: オフラインでは、指定がなければノートブックは東京で動く
      前提AWS の設定のリージョンは未設定だ
      もしオフラインでノートブックを準備する
      ならばノートブックは ap-northeast-1 リージョンにあると表示される

    シナリオ: 存在しないリージョンは、何かを呼び出す前に拒否される
      もしノートブックを ap-tokyo-1 で準備する
      ならば「unknown region 'ap-tokyo-1'」と表示される
      かつAWS には何も送られない

  ルール: XGBoost のイメージは、SageMaker がノートブックのリージョン向けに公開しているものだ
    SageMaker は XGBoost のコンテナを Amazon ECR で、リージョンごとに AWS が持つレジストリの
    アカウントから公開している (下の 12 桁の数字は AWS のアカウントで、読者のものではない)。
    イメージは調べて得るもので、手で書き込むものではない。例は、その調べた結果が
    AWS の公開している一覧どおりであることを確かめる。

    シナリオアウトライン: <region> の XGBoost <version> は、レジストリのアカウント <account> から来る
      前提ノートブックは <region> で動いている
      もしXGBoost <version> のコンテナイメージを調べる
      ならばコンテナイメージは <account>.dkr.ecr.<region>.amazonaws.com/sagemaker-xgboost:<version> だ

      例:
        | region         | version | account      |
        | us-east-1      | 1.7-1   | 683313688378 |
        | us-east-2      | 1.7-1   | 257758044811 |
        | us-west-2      | 1.7-1   | 246618743249 |
        | eu-west-1      | 1.7-1   | 141502667606 |
        | ap-northeast-1 | 1.7-1   | 354813040037 |
        | ap-northeast-1 | 3.0-5   | 354813040037 |

    シナリオアウトライン: "latest" はチュートリアル自身の旧式イメージで、東京のものもある
      前提ノートブックは <region> で動いている
      もしXGBoost latest のコンテナイメージを調べる
      ならばコンテナイメージは <image> だ

      例:
        | region         | image                                                     |
        | us-west-2      | 433757028032.dkr.ecr.us-west-2.amazonaws.com/xgboost:latest |
        | us-east-1      | 811284229777.dkr.ecr.us-east-1.amazonaws.com/xgboost:latest |
        | us-east-2      | 825641698319.dkr.ecr.us-east-2.amazonaws.com/xgboost:latest |
        | eu-west-1      | 685385470294.dkr.ecr.eu-west-1.amazonaws.com/xgboost:latest |
        | ap-northeast-1 | 501404015308.dkr.ecr.ap-northeast-1.amazonaws.com/xgboost:latest |

    シナリオ: SageMaker が公開したことのないバージョンは、公開済みのバージョンを添えて拒否される
      前提ノートブックは ap-northeast-1 で動いている
      もしXGBoost 0.72 のコンテナイメージを調べる
      ならば「XGBoost 0.72 is not a published version; choose one of:」と表示される

  ルール: SageMaker はロールの立場で動く。指定されたロールか、ノートブック自身のロールだ

    シナリオ: コマンドラインで指定したロールは、そのまま使われる
      もしロール arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20260101T000000 を使ってノートブックを準備する
      ならばノートブックは arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20260101T000000 として動く

    シナリオ: ロールの ARN でないものは、何かを呼び出す前に拒否される
      もしロール AmazonSageMaker-ExecutionRole を使ってノートブックを準備する
      ならば「'AmazonSageMaker-ExecutionRole' is not an IAM role ARN」と表示される
      かつAWS には何も送られない

    @moto-only @tutorial
    シナリオ: オフラインでは、ノートブックはステップ 2 で作るロールとして動き、SageMaker へのフルアクセスを持つ
      もしロールを指定せずに、オフラインでノートブックを準備する
      ならばノートブックは SageMaker が引き受けられるロールとして動く
      かつそのロールには AmazonSageMakerFullAccess がアタッチされている

    @moto-only
    シナリオ: ユーザーの認証情報は、実行ロールの代わりにならない
      前提自分の認証情報はロールではなく IAM ユーザーのものだ
      もしロールを指定せずに、ライブバックエンドでノートブックを準備する
      ならば「is not a role, so it cannot be SageMaker's execution role: pass --role ARN」と表示される
