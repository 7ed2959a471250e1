# language: ja
@step-2 @part-5
機能: ノートブックインスタンスと、それが使うロールを作成する
  コンソールで、ml.t2.medium の上にノートブックインスタンス MySageMakerInstance を作成する。
  同時に、SageMaker が引き受けられる IAM ロールを作り、AmazonSageMakerFullAccess ポリシーを
  アタッチする。これが実行ロールで、以降のステップはどれもこのロールを SageMaker に渡す。
  インスタンスは動いている間ずっと時間単位で課金されるので、InService になるまで待ち、
  求められれば停止してから削除する。同じ名前のロールがすでにあるなら、それは誰かが決めたこと
  なので、確かめて報告するだけで、変更はしない。

  ルール: 実行ロールは SageMaker に操作を許し、SageMaker へのフルアクセスを持つ

    @tutorial
    シナリオ: 実行ロールが作成され、SageMaker から信頼され、フルアクセスを持つ
      もしノートブックインスタンスを作成する
      ならば実行ロールを sagemaker.amazonaws.com が引き受けられる
      かつ実行ロールには AmazonSageMakerFullAccess がアタッチされている

    シナリオ: SageMaker が引き受けられない既存のロールは、変更されずに報告される
      前提EC2 だけが引き受けられるロール sagemaker-tutorial-execution-role がすでにある
      もしノートブックインスタンスを作成する
      ならばロールについて「does not trust sagemaker.amazonaws.com」と警告される
      かつそのロールを引き受けられるのは、今も ec2.amazonaws.com だけだ

  ルール: ノートブックインスタンスは ml.t2.medium 上の MySageMakerInstance である

    @costly @tutorial
    シナリオ: ノートブックインスタンスは InService になるまで待たれる
      もしノートブックインスタンスを作成する
      ならばMySageMakerInstance が ml.t2.medium 上で InService になっている
      かつインスタンスは実行ロールとして動いている

    @costly
    シナリオ: ノートブックインスタンスを削除すると、停止してから削除される
      前提ノートブックインスタンスが InService になっている
      もしノートブックインスタンスを削除する
      ならばノートブックインスタンス MySageMakerInstance はもう存在しない

  ルール: AWS アカウントでは、ノートブックインスタンスは読者の同意があるときだけ起動する

    シナリオ: AWS アカウントでのノートブックインスタンスは、--allow-cost なしでは拒否される
      もしAWS アカウントに対して、費用に同意しないまま notebook-instance を実行する
      ならば「a notebook instance on ml.t2.medium, billed by the hour」と表示される
      かつAWS には何も送られない
