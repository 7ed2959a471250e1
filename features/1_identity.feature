@step-1 @part-5
Feature: Sign in and see who the tutorial runs as
  The series starts in the AWS console: sign in, then check the account and the
  region shown in the top right corner, because everything the tutorial creates is
  made, and billed, in that account and that region. On the command line the
  tutorial runs as whoever the AWS configuration names, so its first step says so
  plainly: the account, the identity and the region. Not being signed in is told as
  one line that says what to set up, never as a traceback.

  Rule: the tutorial says which account, identity and region it uses

    @tutorial
    Scenario: signed in, I am shown my account, my identity and the region
      Given the notebook runs in eu-west-1
      When I ask who I am
      Then I am shown my account, my identity and eu-west-1

  Rule: not being signed in is one line that says what to set up

    Scenario Outline: <situation> is told what to set up
      Given <situation>
      When I ask who I am against an AWS account
      Then I am told "<message>"

      Examples:
        | situation                | message                                              |
        | no AWS credentials       | no AWS credentials found: run `aws configure`        |
        | expired AWS credentials  | your AWS credentials have expired (ExpiredToken)     |
        | credentials AWS rejects  | AWS does not recognise these credentials             |
        | no AWS region            | no AWS region configured: pass --region              |
