@step-3d @step-4 @step-5 @step-7 @moto-only
Feature: Under the notebook's own role
  On a notebook instance every cell runs as the notebook's execution role, and step 2
  gives that role AmazonSageMakerFullAccess and nothing else. That policy lets it
  create buckets and use the objects of buckets whose name contains "sagemaker"; it
  may not tag a bucket, lock it down, read those settings back or delete it. Since
  2023 AWS gives every new bucket Block Public Access, SSE-S3 encryption and disabled
  ACLs by default, so what the role may not set is there already: the step says what
  stands in and goes on, where stopping would fail on the very platform the tutorial
  is written for. `sagemaker-tutorial permissions` prints what each command needs.

  Rule: a setting the role may not make is a warning naming what stands in for it

    Scenario: the bucket the role may not tag is created, and found by its name
      Given the notebook runs under its own role
      When I create the tutorial's bucket under that role
      Then the bucket stands in eu-west-1
      And I am warned "S3 refused s3:PutBucketTagging (AccessDenied): the bucket stays untagged; clean-up finds it by its name"

  Rule: a setting the role may not read is unknown, not a difference

    Scenario: running the step again under the role finds no difference
      Given the notebook runs under its own role
      And the tutorial's bucket was created under that role
      When I create the tutorial's bucket under that role
      Then I am told the bucket already exists and is mine
      And no setting is reported as different, and the tags it may not read as unknown

  Rule: a bucket name the role may not use is warned about before anything is created

    Scenario: a name without "sagemaker" is warned about first
      Given the notebook runs under its own role
      When I create the bucket my-tutorial-bucket under that role
      Then before the bucket exists, I am warned that the role may not put, get or delete its objects

  Rule: the training data goes up under the role

    Scenario: the split's training part is uploaded to the bucket under the role
      Given the notebook runs under its own role
      And the data is prepared under that role
      When I upload the training data under that role
      Then the bucket holds the training data under sagemaker/DEMO-xgboost-dm/train

  Rule: the model is trained, hosted and asked under the role

    Scenario: the job trains as the notebook's role and its endpoint answers every test row
      Given the notebook runs under its own role
      And the training data was uploaded under that role
      When I train the model, host it and ask it about the test rows under that role
      Then the training job ran as the notebook's role
      And there is a prediction for every test row

  Rule: clean-up deletes what the role may, and says plainly what remains and why

    Scenario: the objects are deleted, and the bucket remains because the role may not delete it
      Given the notebook runs under its own role
      And the training data was uploaded under that role
      When I clean up under that role
      Then the bucket holds no objects
      And I am told the bucket remains because the role may not read its tags or delete it

    Scenario: cleaning up every run removes the hosting it finds by its tags, and names the buckets it could not check
      Given the notebook runs under its own role
      And a model was trained and hosted under that role
      When I clean up every run under that role
      Then the run's endpoint, endpoint configuration and model are gone
      And I am told which buckets were not checked, its own among them, and why
