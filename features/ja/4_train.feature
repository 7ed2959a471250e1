# language: ja
@step-4 @part-7
機能: モデルをトレーニングする
  モデルは、トレーニング用に分けた 28,831 件の電話から、どの顧客が定期預金を申し込んだか
  (y_yes)を学ぶ。SageMaker の組み込み XGBoost アルゴリズムは、トレーニングデータを S3 から
  CSV として読む。ラベルは先頭の列に置き、ヘッダーもインデックスも付けない。トレーニング
  したモデルは model.tar.gz として S3 に書き戻す。チュートリアルのセルは、届いた中身を
  確かめないままファイルをアップロードし、SDK v3 にはもうない SDK v1 の Estimator を設定し、
  1.0 以降のどの XGBoost コンテナも受け付けない旧式のハイパーパラメータ `silent` を渡し、
  終わるまで際限なく待つ。ここでは、アップロードを確かめ、トレーニングのリクエストを実際の
  API 呼び出しとして書き出し、失敗したジョブはその理由を告げる。そして実際のアカウントでは、
  課金されるものは読者の同意なしには何も起動しない。

  ルール: トレーニングデータは、アルゴリズムが読める形式になっている

    @tutorial
    シナリオ: train.csv はラベルが先頭で、ヘッダーもインデックスもない
      前提チュートリアルのデータが 70/30 に分割されている
      もしトレーニングデータをアップロードする
      ならばtrain.csv は 28,831 行あり、各行は y_yes を先頭とする 60 個の数値だ
      かつtrain チャネルには、書き出したとおりの train.csv が入っている

    シナリオ: トレーニングインスタンスが 2 台なら、それぞれが自分の半分を読む
      前提チュートリアルのデータが 70/30 に分割されている
      もし2 台のトレーニングインスタンス向けにトレーニングデータをアップロードする
      ならばtrain チャネルには train-part-1-of-2.csv と train-part-2-of-2.csv が入っている
      かつ二つを合わせると、train.csv の行が順番どおりにそろう

  ルール: トレーニングのリクエストはチュートリアルのものを、今のやり方で書いたものだ

    @tutorial
    シナリオ: XGBoost 1.7-1 向けの、チュートリアルのトレーニングリクエスト
      前提トレーニングデータがアップロードされている
      もしXGBoost 1.7-1 向けにトレーニングを設定する
      ならばトレーニングリクエストは次のとおりだ
        | 項目               | 値                                                                         |
        | instance type      | ml.m4.xlarge                                                               |
        | instance count     | 1                                                                          |
        | train channel      | s3://<bucket>/sagemaker/DEMO-xgboost-dm/train (text/csv, FullyReplicated) |
        | output path        | s3://<bucket>/sagemaker/DEMO-xgboost-dm/output                             |
        | stopping condition | at most 3600 s                                                             |
        | max_depth          | 5                                                                          |
        | eta                | 0.2                                                                        |
        | gamma              | 4                                                                          |
        | min_child_weight   | 6                                                                          |
        | subsample          | 0.8                                                                        |
        | verbosity          | 1                                                                          |
        | objective          | binary:logistic                                                            |
        | num_round          | 100                                                                        |

    シナリオアウトライン: 旧式の silent=0 は、XGBoost <version> が受け付ける形になる
      前提トレーニングデータがアップロードされている
      もしXGBoost <version> 向けにトレーニングを設定する
      ならばリクエストでは <setting> = <value> が渡される

      例:
        | version | setting   | value |
        | latest  | silent    | 0     |
        | 0.90-1  | silent    | 0     |
        | 1.7-1   | verbosity | 1     |
        | 3.0-5   | verbosity | 1     |

  ルール: トレーニングは S3 にモデルを残して終わるか、そうでなければ理由を告げる

    @costly @tutorial
    シナリオ: トレーニングしたモデルは S3 にあり、XGBoost モデルとして読み込める
      前提トレーニングデータがアップロードされている
      もしモデルをトレーニングする
      ならばジョブの model.tar.gz には、59 個の特徴量の XGBoost モデルが入っている

    @costly
    シナリオ: ヘッダー行付きでアップロードしたトレーニングデータではジョブが失敗し、その理由が表示される
      前提トレーニングデータがヘッダー行付きのままアップロードされている
      もしモデルをトレーニングする
      ならばトレーニングジョブが失敗したと、SageMaker の示す理由とともに表示される

    @moto-only
    シナリオ: Completed と言いながらモデルを残さなかったジョブは、モデルとして扱われない
      前提記録を残すだけで何も計算しない、SageMaker の代役がある
      もしモデルをトレーニングする
      ならば「says Completed but left no model artifact」と表示される

  ルール: AWS アカウントでは、課金されるものは読者の同意なしには何も起動しない

    シナリオアウトライン: AWS アカウントでの <command> は、--allow-cost なしでは拒否される
      もしAWS アカウントに対して、費用に同意しないまま <command> を実行する
      ならば「<what starts>」と表示される
      かつAWS には何も送られない

      例:
        | command | what starts                                       |
        | train   | a training job on 1 x ml.m4.xlarge                |
        | deploy  | an endpoint on 1 x ml.m4.xlarge, billed by the hour |
        | run     | a training job on 1 x ml.m4.xlarge, then an endpoint |
