#!/usr/bin/env bash
# The tutorial with the AWS CLI, pointed at `serve` by AWS_ENDPOINT_URL only.
#
#     aws_cli_tutorial.sh <bucket> <data dir> <predictions file>
#
# Every call the tutorial makes, as CLI commands, and the training log read back with
# `aws logs` (CLI v1 has no `logs tail`, which is CLI v2's: it calls FilterLogEvents,
# as `aws logs filter-log-events` below does).
set -euo pipefail
bucket="$1"; data="$2"; out="$3"
name=cli-tutorial
region="${AWS_DEFAULT_REGION}"
image="683313688378.dkr.ecr.${region}.amazonaws.com/sagemaker-xgboost:1.7-1"
role="arn:aws:iam::123456789012:role/tutorial"

aws s3 mb "s3://${bucket}"
aws s3 cp "${data}/train.csv" "s3://${bucket}/prefix/train/train.csv"
aws sagemaker create-training-job \
    --training-job-name "${name}" \
    --algorithm-specification "TrainingImage=${image},TrainingInputMode=File" \
    --role-arn "${role}" \
    --hyper-parameters max_depth=5,eta=0.2,gamma=4,min_child_weight=6,subsample=0.8,objective=binary:logistic,num_round=100 \
    --input-data-config "[{\"ChannelName\": \"train\", \"ContentType\": \"csv\", \"DataSource\": {\"S3DataSource\": {\"S3DataType\": \"S3Prefix\", \"S3Uri\": \"s3://${bucket}/prefix/train\"}}}]" \
    --output-data-config "S3OutputPath=s3://${bucket}/prefix/output" \
    --resource-config InstanceType=ml.m4.xlarge,InstanceCount=1,VolumeSizeInGB=5 \
    --stopping-condition MaxRuntimeInSeconds=3600
# (`aws sagemaker wait training-job-completed-or-stopped` polls every 120 s.)
until [[ "$(aws sagemaker describe-training-job --training-job-name "${name}" \
        --query TrainingJobStatus --output text)" =~ ^(Completed|Failed|Stopped)$ ]]; do
    sleep 1
done
aws sagemaker describe-training-job --training-job-name "${name}" \
    --query '[TrainingJobStatus, FinalMetricDataList[0].MetricName]' --output text
echo "--- training log"
aws logs filter-log-events --log-group-name /aws/sagemaker/TrainingJobs \
    --log-stream-name-prefix "${name}/" --query 'events[].message' --output text | tr '\t' '\n'
echo "--- end of training log"
artifact=$(aws sagemaker describe-training-job --training-job-name "${name}" \
    --query ModelArtifacts.S3ModelArtifacts --output text)
aws sagemaker create-model --model-name "${name}" \
    --primary-container "Image=${image},ModelDataUrl=${artifact}" --execution-role-arn "${role}"
aws sagemaker create-endpoint-config --endpoint-config-name "${name}" \
    --production-variants VariantName=AllTraffic,ModelName="${name}",InitialInstanceCount=1,InstanceType=ml.m4.xlarge
aws sagemaker create-endpoint --endpoint-name "${name}" --endpoint-config-name "${name}"
aws sagemaker wait endpoint-in-service --endpoint-name "${name}"
aws sagemaker-runtime invoke-endpoint --endpoint-name "${name}" --content-type text/csv \
    --body "fileb://${data}/test_features.csv" "${out}"
aws sagemaker delete-endpoint --endpoint-name "${name}"
aws sagemaker delete-endpoint-config --endpoint-config-name "${name}"
aws sagemaker delete-model --model-name "${name}"
aws s3 rm "s3://${bucket}" --recursive
