@step-3d @part-6
Feature: Create the bucket that holds the training data
  Training reads its data from S3 and writes the model back there, so the notebook
  needs a bucket of its own, in its own region. The tutorial's cell branches on
  us-east-1 by hand and, on any error, prints it and carries on: a reader outside
  us-east-1 who gets the request wrong meets IllegalLocationConstraintException, a
  reader who runs the cell twice meets BucketAlreadyOwnedByYou, and a name that
  breaks S3's naming rules is only refused once it reaches AWS. Here the bucket is
  made in the notebook's region, running the step again is harmless, a bad name is
  refused before anything is sent, and a new bucket is private from the start.

  Rule: the bucket stands in the notebook's region

    @tutorial
    Scenario Outline: a bucket made from <region> stands in <region>
      Given the notebook runs in <region>
      When I create the tutorial's bucket
      Then the bucket stands in <region>

      Examples:
        | region         |
        | us-east-1      |
        | us-east-2      |
        | us-west-2      |
        | eu-west-1      |
        | ap-northeast-1 |

  Rule: S3 wants the region named in the request everywhere except in us-east-1

    Scenario: outside us-east-1, a request that names no region is refused
      Given the notebook runs in eu-west-1
      When a bucket is requested without naming a region
      Then S3 refuses the request with IllegalLocationConstraintException

    Scenario: in us-east-1, a request that names us-east-1 is refused
      Given the notebook runs in us-east-1
      When a bucket is requested naming us-east-1 as its region
      Then S3 refuses the request with InvalidLocationConstraint

    Scenario Outline: the tutorial's request from <region> names <named>
      Given the notebook runs in <region>
      When I create the tutorial's bucket
      Then the request to S3 named <named> as the bucket's region
      And the bucket stands in <region>

      Examples:
        | region         | named          |
        | us-east-1      | no region      |
        | eu-west-1      | eu-west-1      |
        | ap-northeast-1 | ap-northeast-1 |

  Rule: without a name, the bucket is named after the account and the region

    Scenario: the default name is sagemaker-tutorial, the account id and the region
      Given the notebook runs in eu-west-1
      When I create the tutorial's bucket without naming it
      Then the bucket is named after my account and eu-west-1, as in sagemaker-tutorial-123456789012-eu-west-1

  Rule: running the step again is harmless

    Scenario Outline: running it again in <region> keeps the bucket and says so
      Given the notebook runs in <region>
      And the tutorial's bucket already exists
      When I create the tutorial's bucket
      Then I am told the bucket already exists and is mine
      And no setting of the bucket is reported as different

      Examples:
        | region         |
        | us-east-1      |
        | eu-west-1      |
        | ap-northeast-1 |

    Scenario: my bucket of that name in another region is not taken for this one
      Given the notebook runs in eu-west-1
      And I already have the bucket in us-west-2
      When I create the tutorial's bucket
      Then I am told "but it stands in us-west-2, not eu-west-1: run in us-west-2"

  Rule: bucket names are global, so a name another account holds cannot be used

    @moto-only
    Scenario: a name another account owns is refused with a request to pick another
      Given another AWS account owns a bucket of that name
      When I create the tutorial's bucket
      Then I am told "is taken by another AWS account"
      And I am told "pick another name with --bucket"

  Rule: the name is checked against S3's naming rules before anything is sent

    Scenario Outline: the name <name> is refused because it <rule>
      When I create the bucket <name>
      Then I am told "<rule>"
      And nothing was sent to AWS

      Examples:
        | name                                                             | rule                                                              |
        | ab                                                               | must be 3 to 63 characters long                                   |
        | sagemaker-tutorial-bucket-for-the-bank-marketing-data-in-tokyo-1 | must be 3 to 63 characters long                                   |
        | My-Tutorial-Bucket                                               | may not contain upper-case letters                                |
        | my_tutorial_bucket                                               | may contain only lower-case letters, digits, dots and hyphens     |
        | -my-tutorial-bucket                                              | must begin with a letter or digit                                 |
        | my-tutorial-bucket-                                              | must end with a letter or digit                                   |
        | my..tutorial.bucket                                              | may not contain two adjacent dots                                 |
        | 192.168.5.4                                                      | may not be formatted as an IP address                             |
        | xn--tutorial-bucket                                              | may not begin with the reserved prefix 'xn--'                     |
        | sthree-tutorial-bucket                                           | may not begin with the reserved prefix 'sthree-'                  |
        | amzn-s3-demo-bucket                                              | may not begin with the reserved prefix 'amzn-s3-demo-'            |
        | my-tutorial-bucket-s3alias                                       | may not end with the reserved suffix '-s3alias'                   |
        | my-tutorial-bucket--ol-s3                                        | may not end with the reserved suffix '--ol-s3'                    |
        | my-tutorial-bucket.mrap                                          | may not end with the reserved suffix '.mrap'                      |
        | my-tutorial-bucket--x-s3                                         | may not end with the reserved suffix '--x-s3'                     |
        | my-tutorial-bucket--table-s3                                     | may not end with the reserved suffix '--table-s3'                 |

  Rule: the region is checked before anything is sent

    Scenario: a region that does not exist is refused
      When I create the tutorial's bucket in xx-nowhere-9
      Then I am told "unknown region 'xx-nowhere-9'"
      And nothing was sent to AWS

  Rule: a new bucket is locked down; a bucket I already had is reported, not changed

    @tutorial
    Scenario: a new bucket is private, encrypted, owner-enforced and tagged with the run
      When I create the tutorial's bucket
      Then all four Block Public Access settings of the bucket are on
      And new objects in the bucket are encrypted with SSE-S3 by default
      And the bucket owner owns every object in it, with ACLs disabled
      And the bucket is tagged with the project and this run's id

    Scenario: a bucket I already had with public access allowed is reported, not changed
      Given I already have the bucket, with its public access not blocked
      When I create the tutorial's bucket
      Then I am warned "Block Public Access setting BlockPublicPolicy is off (expected on)"
      And the bucket's public access is still not blocked
