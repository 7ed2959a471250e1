"""The tutorial with the SageMaker SDK v3 resource classes (sagemaker-core), pointed at
`serve` by AWS_ENDPOINT_URL only (its clients take no endpoint_url).

    python sdk_v3_resources.py <bucket> <data dir> <predictions file>
"""

import sys
from pathlib import Path

import boto3
from sagemaker.core.resources import Endpoint, EndpointConfig, Model, TrainingJob, TransformJob
from sagemaker.core.shapes import (
    AlgorithmSpecification,
    Channel,
    ContainerDefinition,
    DataSource,
    OutputDataConfig,
    ProductionVariant,
    ResourceConfig,
    S3DataSource,
    StoppingCondition,
    TransformDataSource,
    TransformInput,
    TransformOutput,
    TransformResources,
    TransformS3DataSource,
)

bucket, data, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
region = boto3.Session().region_name
image = f"683313688378.dkr.ecr.{region}.amazonaws.com/sagemaker-xgboost:1.7-1"
role = "arn:aws:iam::123456789012:role/tutorial"
name = "sdk-v3-tutorial"
s3 = boto3.client("s3")
s3.create_bucket(Bucket=bucket)
s3.upload_file(str(data / "train.csv"), bucket, "prefix/train/train.csv")
s3.upload_file(str(data / "test_features.csv"), bucket, "prefix/test/test.csv")

job = TrainingJob.create(
    training_job_name=name,
    algorithm_specification=AlgorithmSpecification(
        training_image=image, training_input_mode="File"
    ),
    role_arn=role,
    hyper_parameters={
        "max_depth": "5",
        "eta": "0.2",
        "gamma": "4",
        "min_child_weight": "6",
        "subsample": "0.8",
        "objective": "binary:logistic",
        "num_round": "100",
    },
    input_data_config=[
        Channel(
            channel_name="train",
            content_type="csv",
            data_source=DataSource(
                s3_data_source=S3DataSource(
                    s3_data_type="S3Prefix", s3_uri=f"s3://{bucket}/prefix/train"
                )
            ),
        )
    ],
    output_data_config=OutputDataConfig(s3_output_path=f"s3://{bucket}/prefix/output"),
    resource_config=ResourceConfig(
        instance_type="ml.m4.xlarge", instance_count=1, volume_size_in_gb=5
    ),
    stopping_condition=StoppingCondition(max_runtime_in_seconds=3600),
)
job.wait(poll=1, logs=True)
print("training job:", job.training_job_status, job.output_data_config.kms_key_id == "")
model = Model.create(
    model_name=name,
    primary_container=ContainerDefinition(
        image=image, model_data_url=job.model_artifacts.s3_model_artifacts
    ),
    execution_role_arn=role,
)
config = EndpointConfig.create(
    endpoint_config_name=name,
    production_variants=[
        ProductionVariant(
            variant_name="AllTraffic",
            model_name=name,
            initial_instance_count=1,
            instance_type="ml.m4.xlarge",
        )
    ],
)
endpoint = Endpoint.create(endpoint_name=name, endpoint_config_name=name)
endpoint.wait_for_status("InService", poll=1)
answer = endpoint.invoke(
    body=(data / "test_features.csv").read_text(), content_type="text/csv", accept="text/csv"
)
out.write_bytes(answer.body.read())

transform = TransformJob.create(
    transform_job_name=name,
    model_name=name,
    transform_input=TransformInput(
        data_source=TransformDataSource(
            s3_data_source=TransformS3DataSource(
                s3_data_type="S3Prefix", s3_uri=f"s3://{bucket}/prefix/test/"
            )
        ),
        content_type="text/csv",
        split_type="Line",
    ),
    transform_output=TransformOutput(s3_output_path=f"s3://{bucket}/prefix/batch"),
    transform_resources=TransformResources(instance_type="ml.m4.xlarge", instance_count=1),
)
transform.wait(poll=1)
batch = s3.get_object(Bucket=bucket, Key="prefix/batch/test.csv.out")["Body"].read()
out.with_suffix(".batch").write_bytes(batch)
endpoint.delete()
config.delete()
model.delete()
