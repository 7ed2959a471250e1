@step-3c @part-6
Feature: Get the notebook ready
  Before anything is trained the notebook needs three facts: the region it runs in,
  the XGBoost container image published for that region, and the IAM role that
  SageMaker acts as. The tutorial's cell hard-codes images for four regions (a reader
  in Tokyo has to edit it) and calls get_execution_role(), which works only on a
  notebook instance. Here the region comes from the command line or the AWS
  configuration, the image from the SageMaker SDK's registry of every region, and the
  role from the command line, the notebook's own identity (a notebook instance's role,
  as step 2 creates it), or, offline, that same role created on the spot.

  Rule: the notebook runs in the region it is given, else in the configured one

    Scenario: a region given on the command line wins over the configuration
      Given my AWS configuration names eu-west-1
      When I get the notebook ready in us-west-2
      Then I am told the notebook is in the us-west-2 region

    Scenario: without a region on the command line the configured region is used
      Given my AWS configuration names eu-west-1
      When I get the notebook ready
      Then I am told the notebook is in the eu-west-1 region

    Scenario: for a real account the notebook does not guess a region
      Given my AWS configuration names no region
      When I get the notebook ready for the live backend
      Then I am told "no AWS region configured: pass --region"
      And nothing was sent to AWS

    @tutorial
    Scenario: offline, the notebook runs in Tokyo unless told otherwise
      Given my AWS configuration names no region
      When I get the notebook ready offline
      Then I am told the notebook is in the ap-northeast-1 region

    Scenario: a region that does not exist is refused before any call
      When I get the notebook ready in ap-tokyo-1
      Then I am told "unknown region 'ap-tokyo-1'"
      And nothing was sent to AWS

  Rule: the XGBoost image is the one SageMaker publishes for the notebook's region
    SageMaker publishes its XGBoost containers in Amazon ECR, from an AWS-owned registry
    account of each region (the twelve-digit numbers below are AWS's accounts, not the
    reader's). The image is looked up, never typed in: the examples are what the lookup
    must answer, checked against AWS's published list.

    Scenario Outline: XGBoost <version> in <region> comes from registry account <account>
      Given the notebook runs in <region>
      When I look up the XGBoost <version> image
      Then the image is <account>.dkr.ecr.<region>.amazonaws.com/sagemaker-xgboost:<version>

      Examples:
        | region         | version | account      |
        | us-east-1      | 1.7-1   | 683313688378 |
        | us-east-2      | 1.7-1   | 257758044811 |
        | us-west-2      | 1.7-1   | 246618743249 |
        | eu-west-1      | 1.7-1   | 141502667606 |
        | ap-northeast-1 | 1.7-1   | 354813040037 |
        | ap-northeast-1 | 3.0-5   | 354813040037 |

    Scenario Outline: "latest" is the tutorial's own legacy image, Tokyo included
      Given the notebook runs in <region>
      When I look up the XGBoost latest image
      Then the image is <image>

      Examples:
        | region         | image                                                     |
        | us-west-2      | 433757028032.dkr.ecr.us-west-2.amazonaws.com/xgboost:latest |
        | us-east-1      | 811284229777.dkr.ecr.us-east-1.amazonaws.com/xgboost:latest |
        | us-east-2      | 825641698319.dkr.ecr.us-east-2.amazonaws.com/xgboost:latest |
        | eu-west-1      | 685385470294.dkr.ecr.eu-west-1.amazonaws.com/xgboost:latest |
        | ap-northeast-1 | 501404015308.dkr.ecr.ap-northeast-1.amazonaws.com/xgboost:latest |

    Scenario: a version SageMaker never published is refused with the versions it did
      Given the notebook runs in ap-northeast-1
      When I look up the XGBoost 0.72 image
      Then I am told "XGBoost 0.72 is not a published version; choose one of:"

  Rule: SageMaker acts as a role: the one given, or the notebook's own

    Scenario: a role given on the command line is used as it is
      When I get the notebook ready with the role arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20260101T000000
      Then the notebook acts as arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20260101T000000

    Scenario: something that is not a role ARN is refused before any call
      When I get the notebook ready with the role AmazonSageMaker-ExecutionRole
      Then I am told "'AmazonSageMaker-ExecutionRole' is not an IAM role ARN"
      And nothing was sent to AWS

    @moto-only @tutorial
    Scenario: offline, the notebook acts as the role step 2 creates, with full SageMaker access
      When I get the notebook ready offline without naming a role
      Then the notebook acts as a role that SageMaker may assume
      And the role has AmazonSageMakerFullAccess attached

    @moto-only
    Scenario: a user's credentials cannot stand in for the execution role
      Given my credentials belong to an IAM user, not a role
      When I get the notebook ready for the live backend without naming a role
      Then I am told "is not a role, so it cannot be SageMaker's execution role: pass --role ARN"
