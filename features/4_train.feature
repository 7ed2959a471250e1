@step-4 @part-7
Feature: Train the model
  The model learns, from the training part's 28,831 calls, which clients went on to
  subscribe to a term deposit (y_yes). SageMaker's built-in XGBoost algorithm reads
  its training data from S3 as CSV with the label in the first column, no header and
  no index, and writes the trained model back to S3 as model.tar.gz. The tutorial's
  cells upload the file without checking what arrived, configure an SDK v1 Estimator
  that SDK v3 no longer has, pass the legacy `silent` hyperparameter that every
  XGBoost container from 1.0 on refuses, and wait without a limit. Here the upload is
  verified, the training request is spelt out as the API call it is, a job that fails
  says why, and on a real account nothing billed starts without the reader's consent.

  Rule: the training data is in the format the algorithm reads

    @tutorial
    Scenario: train.csv has the label first, no header and no index
      Given the tutorial's data, split 70/30
      When I upload the training data
      Then train.csv holds 28,831 rows of 60 numbers, y_yes first
      And the train channel holds train.csv exactly as it was written

    Scenario: with two training instances, each reads its own half
      Given the tutorial's data, split 70/30
      When I upload the training data for 2 training instances
      Then the train channel holds train-part-1-of-2.csv and train-part-2-of-2.csv
      And together they hold the rows of train.csv, in order

  Rule: the training request is the tutorial's, in today's terms

    @tutorial
    Scenario: the tutorial's training request, for XGBoost 1.7-1
      Given the training data is uploaded
      When I configure the training for XGBoost 1.7-1
      Then the training request is
        | setting            | value                                                                      |
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

    Scenario Outline: the legacy silent=0 becomes what XGBoost <version> accepts
      Given the training data is uploaded
      When I configure the training for XGBoost <version>
      Then the request passes <setting> = <value>

      Examples:
        | version | setting   | value |
        | latest  | silent    | 0     |
        | 0.90-1  | silent    | 0     |
        | 1.7-1   | verbosity | 1     |
        | 3.0-5   | verbosity | 1     |

  Rule: training ends with a model in S3, or says why not

    @costly @tutorial
    Scenario: the trained model is in S3 and loads as an XGBoost model
      Given the training data is uploaded
      When I train the model
      Then the job's model.tar.gz holds an XGBoost model of the 59 features

    @costly
    Scenario: training data uploaded with its header row fails the job, and I am told why
      Given training data uploaded with its header row
      When I train the model
      Then I am told the training job failed, with SageMaker's reason

    @moto-only
    Scenario: a job that says Completed but left no model is not taken for a model
      Given a SageMaker stand-in that only keeps records and computes nothing
      When I train the model
      Then I am told "says Completed but left no model artifact"

  Rule: on an AWS account, nothing billed starts without the reader's consent

    Scenario Outline: <command> on an AWS account is refused without --allow-cost
      When I run <command> against an AWS account without consenting to its cost
      Then I am told "<what starts>"
      And nothing was sent to AWS

      Examples:
        | command | what starts                                       |
        | train   | a training job on 1 x ml.m4.xlarge                |
        | deploy  | an endpoint on 1 x ml.m4.xlarge, billed by the hour |
        | run     | a training job on 1 x ml.m4.xlarge, then an endpoint |
