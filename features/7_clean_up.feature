@step-7 @part-8
Feature: Clean up, so that nothing keeps billing
  The tutorial's last cell deletes the endpoint and the bucket's objects. Readers who
  skip it, or whose notebook died half-way, pay for an idle ml.m4.xlarge by the hour.
  Here clean-up deletes what the run recorded (endpoint, endpoint configuration,
  model, every object under the prefix, the bucket), is harmless to run twice, and
  finds a crashed run's leftovers by the tag every resource of the project carries.
  It never touches anything without that tag. And a run cleans up after itself
  however it ends: passed, failed at any stage, or stopped by a signal.

  Rule: clean-up removes everything the recorded run made

    @costly @tutorial
    Scenario: after the model was hosted, clean-up leaves nothing of the run
      Given the model is hosted on an endpoint
      When I clean up
      Then no endpoint, endpoint configuration or model of the run is left
      And the run's bucket is gone

    @costly
    Scenario: with --keep-bucket the bucket stays, empty of the tutorial's objects
      Given the model is hosted on an endpoint
      When I clean up, keeping the bucket
      Then the run's bucket holds nothing under sagemaker/DEMO-xgboost-dm

    @costly
    Scenario: cleaning up twice is harmless
      Given the model is hosted on an endpoint
      When I clean up twice
      Then the second clean-up says the endpoint, its configuration and the model were already gone

  Rule: a crashed run's leftovers are found by its tag, and nothing else is touched

    @costly
    Scenario: a crashed run's endpoint is found and removed by the run's id
      Given the model is hosted on an endpoint
      When I clean up the run by its id
      Then no endpoint, endpoint configuration or model of the run is left

    @moto-only
    Scenario: an endpoint without the project's tag is never touched
      Given an endpoint someone else made in the same account
      When I clean up every run, confirming with --yes
      Then their endpoint is still there

    @costly
    Scenario: listing every run's leftovers removes nothing without --yes
      Given the model is hosted on an endpoint
      When I clean up every run without confirming
      Then I am shown what was found and asked to confirm with --yes
      And the endpoint is still there

  Rule: a run leaves nothing billed behind, however it ends

    @moto-only
    Scenario Outline: a run that fails at <stage> leaves nothing billed behind
      Given an account whose <operation> fails for want of quota
      When I run the whole tutorial
      Then I am told "ResourceLimitExceeded"
      And nothing of the run is left: no endpoint, model, object or running job

      Examples:
        | stage    | operation         |
        | training | CreateTrainingJob |
        | hosting  | CreateEndpoint    |

    @moto-only
    Scenario Outline: a run stopped by <signal> while its endpoint is up leaves nothing billed
      Given a run of the whole tutorial in its own process
      When it gets <signal> while its endpoint is up
      Then it ends with exit code <code> and one error line
      And nothing of the run is left: no endpoint, model, object or running job

      Examples:
        | signal  | code |
        | SIGTERM | 143  |
        | SIGINT  | 130  |

    @moto-only
    Scenario: a run stopped while its model trains stops the training job
      Given a run of the whole tutorial in its own process, its training held at the start
      When it gets SIGTERM while its training job runs
      Then it ends with exit code 143 and one error line
      And nothing of the run is left: no endpoint, model, object or running job

  Rule: a signal stops the work at any step, and the run still takes down all it made

    @moto-only
    Scenario Outline: a run stopped by <signal> as it waits for <operation> leaves nothing billed
      Given a run of the whole tutorial in its own process, caught as it waits for <operation>
      When it gets <signal> there
      Then it ends with exit code <code> and one error line
      And nothing of the run is left: no endpoint, model, object or running job

      Examples:
        | operation         | signal  | code |
        | CreateBucket      | SIGTERM | 143  |
        | PutObject         | SIGHUP  | 129  |
        | CreateTrainingJob | SIGTERM | 143  |
        | CreateEndpoint    | SIGINT  | 130  |
        | InvokeEndpoint    | SIGTERM | 143  |

  Rule: no signal cuts the clean-up short, and none changes a run that has finished

    @moto-only
    Scenario Outline: <signals> during the clean-up's <operation> waits until the clean-up is done
      Given a run of the whole tutorial in its own process, caught as it waits for <operation>
      When it gets <signals> there
      Then it ends with exit code 0, saying the clean-up was finished first
      And nothing of the run is left: no endpoint, model, object or running job

      Examples:
        | operation            | signals              |
        | DeleteEndpoint       | SIGTERM              |
        | DeleteEndpointConfig | SIGINT, then SIGTERM |
        | DeleteModel          | SIGHUP               |
        | DeleteObjects        | SIGINT, then SIGINT  |

    @moto-only
    Scenario: a Ctrl-C after the clean-up's last line changes nothing
      Given a run of the whole tutorial in its own process
      When it gets SIGINT once its clean-up has printed its last line
      Then it ends with exit code 0 and no error
      And nothing of the run is left: no endpoint, model, object or running job

  Rule: one run at a time in a work folder, and each cleans up only what it made

    @moto-only
    Scenario: a second run in a folder where a run is under way is refused at once
      Given a run of the whole tutorial in its own process, its training held at the start
      When I start a second run in the same folder
      Then I am told "is in use by process"
      And the first run still finishes and leaves nothing behind
