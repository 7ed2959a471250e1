"""The tutorial with plain boto3, pointed at `serve` by AWS_ENDPOINT_URL only.

    python boto3_tutorial.py <bucket> <data dir> <predictions file>

Trains on <data dir>/train.csv, hosts the model, predicts <data dir>/test_features.csv
and writes one prediction per line to <predictions file>; then cleans up.
"""

import sys
import time
from pathlib import Path

import boto3

bucket, data, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
region = boto3.Session().region_name
image = f"683313688378.dkr.ecr.{region}.amazonaws.com/sagemaker-xgboost:1.7-1"
role = "arn:aws:iam::123456789012:role/tutorial"
s3, sm, runtime = boto3.client("s3"), boto3.client("sagemaker"), boto3.client("sagemaker-runtime")
name = "boto3-tutorial"

s3.create_bucket(Bucket=bucket)
s3.upload_file(str(data / "train.csv"), bucket, "prefix/train/train.csv")
sm.create_training_job(
    TrainingJobName=name,
    AlgorithmSpecification={"TrainingImage": image, "TrainingInputMode": "File"},
    RoleArn=role,
    HyperParameters={
        "max_depth": "5",
        "eta": "0.2",
        "gamma": "4",
        "min_child_weight": "6",
        "subsample": "0.8",
        "objective": "binary:logistic",
        "num_round": "100",
    },
    InputDataConfig=[
        {
            "ChannelName": "train",
            "ContentType": "csv",
            "DataSource": {
                "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{bucket}/prefix/train"}
            },
        }
    ],
    OutputDataConfig={"S3OutputPath": f"s3://{bucket}/prefix/output"},
    ResourceConfig={"InstanceType": "ml.m4.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 5},
    StoppingCondition={"MaxRuntimeInSeconds": 3600},
)
sm.get_waiter("training_job_completed_or_stopped").wait(
    TrainingJobName=name, WaiterConfig={"Delay": 1}
)
job = sm.describe_training_job(TrainingJobName=name)
print("training job:", job["TrainingJobStatus"], job.get("FinalMetricDataList"))
sm.create_model(
    ModelName=name,
    PrimaryContainer={"Image": image, "ModelDataUrl": job["ModelArtifacts"]["S3ModelArtifacts"]},
    ExecutionRoleArn=role,
)
sm.create_endpoint_config(
    EndpointConfigName=name,
    ProductionVariants=[
        {
            "VariantName": "AllTraffic",
            "ModelName": name,
            "InitialInstanceCount": 1,
            "InstanceType": "ml.m4.xlarge",
        }
    ],
)
sm.create_endpoint(EndpointName=name, EndpointConfigName=name)
sm.get_waiter("endpoint_in_service").wait(EndpointName=name, WaiterConfig={"Delay": 1})
answer = runtime.invoke_endpoint(
    EndpointName=name, Body=(data / "test_features.csv").read_bytes(), ContentType="text/csv"
)
out.write_bytes(answer["Body"].read())
sm.delete_endpoint(EndpointName=name)
sm.delete_endpoint_config(EndpointConfigName=name)
sm.delete_model(ModelName=name)
time.sleep(0)
