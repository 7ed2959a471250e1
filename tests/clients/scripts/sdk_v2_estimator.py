"""The tutorial's own code, SageMaker SDK v2 (``sagemaker<3``), pointed at `serve` by
AWS_ENDPOINT_URL only: Estimator.fit(logs=True), Estimator.attach, deploy,
Predictor.predict, Transformer.transform, delete_endpoint.

    python sdk_v2_estimator.py <bucket> <data dir> <predictions file>

Writes the endpoint's predictions to <predictions file> and the batch transform's to
<predictions file>.batch; prints fit()'s training log (the test reads it).
"""

import os
import sys
from pathlib import Path

import boto3
import sagemaker
from sagemaker import image_uris
from sagemaker.estimator import Estimator
from sagemaker.inputs import TrainingInput
from sagemaker.serializers import CSVSerializer

bucket, data, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
prefix = "sagemaker/DEMO-xgboost-dm"
session = sagemaker.Session(default_bucket=bucket)
region = session.boto_region_name
role = "arn:aws:iam::123456789012:role/tutorial"
container = image_uris.retrieve("xgboost", region, "1.7-1")

s3 = boto3.resource("s3")
s3.create_bucket(Bucket=bucket)
s3.Bucket(bucket).Object(os.path.join(prefix, "train/train.csv")).upload_file(
    str(data / "train.csv")
)
s3.Bucket(bucket).Object(os.path.join(prefix, "test/test.csv")).upload_file(
    str(data / "test_features.csv")
)
s3_input_train = TrainingInput(s3_data=f"s3://{bucket}/{prefix}/train", content_type="csv")
xgb = Estimator(
    container,
    role,
    instance_count=1,
    instance_type="ml.m4.xlarge",
    output_path=f"s3://{bucket}/{prefix}/output",
    sagemaker_session=session,
)
xgb.set_hyperparameters(
    max_depth=5,
    eta=0.2,
    gamma=4,
    min_child_weight=6,
    subsample=0.8,
    objective="binary:logistic",
    num_round=100,
)
xgb.fit({"train": s3_input_train}, logs=True)

attached = Estimator.attach(xgb.latest_training_job.name, sagemaker_session=session)
print("attached:", attached.latest_training_job.name, repr(attached.output_kms_key))

xgb_predictor = attached.deploy(initial_instance_count=1, instance_type="ml.m4.xlarge")
xgb_predictor.serializer = CSVSerializer()
test_data_array = (data / "test_features.csv").read_text()
predictions = xgb_predictor.predict(test_data_array)
out.write_bytes(predictions)

transformer = attached.transformer(
    instance_count=1,
    instance_type="ml.m4.xlarge",
    output_path=f"s3://{bucket}/{prefix}/batch",
)
transformer.transform(f"s3://{bucket}/{prefix}/test/", content_type="text/csv", split_type="Line")
transformer.wait(logs=False)
batch = s3.Object(bucket, f"{prefix}/batch/test.csv.out").get()["Body"].read()
out.with_suffix(".batch").write_bytes(batch)

xgb_predictor.delete_endpoint(delete_endpoint_config=True)
s3.Bucket(bucket).objects.all().delete()
