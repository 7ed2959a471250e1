@step-2 @part-5
Feature: Create the notebook instance and the role it runs as
  In the console the reader creates a notebook instance, MySageMakerInstance on an
  ml.t2.medium, and with it an IAM role that SageMaker may assume, with the
  AmazonSageMakerFullAccess policy attached: the execution role every later step
  hands to SageMaker. The instance is billed by the hour while it runs, so it is
  waited for until it is InService and stopped and deleted on request. A role of
  that name that already exists is someone's decision: it is checked and reported,
  never changed.

  Rule: the execution role lets SageMaker act, with full SageMaker access

    @tutorial
    Scenario: the execution role is created, trusted by SageMaker, with full access
      When I create the notebook instance
      Then the execution role may be assumed by sagemaker.amazonaws.com
      And the execution role has AmazonSageMakerFullAccess attached

    Scenario: an existing role that SageMaker may not assume is reported, not changed
      Given a role sagemaker-tutorial-execution-role that only EC2 may assume
      When I create the notebook instance
      Then I am warned that the role "does not trust sagemaker.amazonaws.com"
      And the role may still be assumed by ec2.amazonaws.com only

  Rule: the notebook instance is MySageMakerInstance on an ml.t2.medium

    @costly @tutorial
    Scenario: the notebook instance is waited for until it is InService
      When I create the notebook instance
      Then MySageMakerInstance is InService on an ml.t2.medium
      And it runs as the execution role

    @costly
    Scenario: deleting the notebook instance stops it, then deletes it
      Given the notebook instance is InService
      When I delete the notebook instance
      Then there is no notebook instance MySageMakerInstance

  Rule: on an AWS account, a notebook instance starts only with the reader's consent

    Scenario: a notebook instance on an AWS account is refused without --allow-cost
      When I run notebook-instance against an AWS account without consenting to its cost
      Then I am told "a notebook instance on ml.t2.medium, billed by the hour"
      And nothing was sent to AWS
