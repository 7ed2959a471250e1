# ruff: noqa: E501  (the tutorial's lines are quoted as the tutorial wrote them)
"""The AWS tutorial's own cells: a short excerpt per step, quoted and cited.

Each code chapter opens with what the tutorial itself ran (AWS, "Build, train, and
deploy a machine learning model with Amazon SageMaker"), so the reader sees what the
notebook's cell below it corrects. These are quotations of the original, kept short
(the lines a step is about), not the project's code: the project's code is the
notebook's, read from the notebook (``living_docs.notebook``).
"""

from __future__ import annotations

SOURCE = {
    "en": 'AWS tutorial "Build, train, and deploy a machine learning model with Amazon SageMaker"',
    "ja": "AWS チュートリアル「Amazon SageMaker で機械学習モデルを構築、トレーニング、デプロイする」",
}

CELLS = {
    "3c": """\
role = get_execution_role()
prefix = 'sagemaker/DEMO-xgboost-dm'
containers = {'us-west-2': '433757028032.dkr.ecr.us-west-2.amazonaws.com/xgboost:latest',
              'us-east-1': '811284229777.dkr.ecr.us-east-1.amazonaws.com/xgboost:latest',
              'us-east-2': '825641698319.dkr.ecr.us-east-2.amazonaws.com/xgboost:latest',
              'eu-west-1': '685385470294.dkr.ecr.eu-west-1.amazonaws.com/xgboost:latest'}
my_region = boto3.session.Session().region_name""",
    "3d": """\
bucket_name = 'your-s3-bucket-name'  # must be globally unique
s3 = boto3.resource('s3')
if my_region == 'us-east-1':
    s3.create_bucket(Bucket=bucket_name)
else:
    s3.create_bucket(Bucket=bucket_name,
                     CreateBucketConfiguration={'LocationConstraint': my_region})""",
    "3e": """\
urllib.request.urlretrieve("https://d1.awsstatic.com/tmt/build-train-deploy-machine-learning-model-sagemaker/bank_clean.27f01fbbdf43271788427f3682996ae29ceca05d.csv", "bank_clean.csv")
model_data = pd.read_csv('./bank_clean.csv', index_col=0)""",
    "3f": """\
train_data, test_data = np.split(model_data.sample(frac=1, random_state=1729),
                                 [int(0.7 * len(model_data))])
print(train_data.shape, test_data.shape)""",
    "4": """\
s3_input_train = TrainingInput(s3_data='s3://{}/{}/train'.format(bucket_name, prefix), content_type='csv')
xgb = Estimator(container, role, instance_count=1, instance_type='ml.m4.xlarge',
                output_path='s3://{}/{}/output'.format(bucket_name, prefix))
xgb.set_hyperparameters(max_depth=5, eta=0.2, gamma=4, min_child_weight=6, subsample=0.8,
                        silent=0, objective='binary:logistic', num_round=100)
xgb.fit({'train': s3_input_train})""",
    "5": """\
xgb_predictor = xgb.deploy(initial_instance_count=1, instance_type='ml.m4.xlarge')
test_data_array = test_data.drop(['y_no', 'y_yes'], axis=1).values
xgb_predictor.serializer = csv_serializer
predictions = xgb_predictor.predict(test_data_array).decode('utf-8')
predictions_array = np.fromstring(predictions[1:], sep=',')""",
    "6": """\
cm = pd.crosstab(index=test_data['y_yes'], columns=np.round(predictions_array),
                 rownames=['Observed'], colnames=['Predicted'])""",
    "7": """\
xgb_predictor.delete_endpoint(delete_endpoint_config=True)
bucket_to_delete = boto3.resource('s3').Bucket(bucket_name)
bucket_to_delete.objects.all().delete()""",
}
