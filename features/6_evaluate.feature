@step-6 @part-8
Feature: Evaluate the model
  The model is judged on the 12,357 test calls it never saw. The tutorial rounds each
  probability to "no" or "yes", counts the four outcomes against what the clients
  really did, and prints the overall classification rate with a 2x2 table whose
  percentages are shares of each predicted column. Its published runs reached 89.5%.
  Here the same block is printed, character for character, so a run sits beside the
  published one; precision, recall and the AUC are added, and the figures are saved
  to evaluation.json for scripts. Running the whole tutorial with the real data
  lands on the published result with no AWS account, and a run leaves nothing billed
  behind, whether it succeeds or fails.

  Rule: the evaluation is printed as the tutorial prints it

    Scenario: the 2021 published result prints as the tutorial printed it
      Given predictions for the test part that make 10769 true no, 167 false yes, 1133 false no and 288 true yes
      When I evaluate the predictions
      Then I am shown
        """
        Overall Classification Rate: 89.5%
        Predicted      No Purchase    Purchase
        Observed
        No Purchase    90% (10769)    37% (167)
        Purchase        10% (1133)     63% (288)
        """

    Scenario: the figures are saved for scripts, with precision, recall and AUC
      Given predictions for the test part that make 10769 true no, 167 false yes, 1133 false no and 288 true yes
      When I evaluate the predictions
      Then evaluation.json holds the rate 89.5, precision 0.633 and recall 0.203

  Rule: there is one prediction per test call

    Scenario: fewer predictions than test calls are refused
      Given predictions for all but the last call of the test part
      When I evaluate the predictions
      Then I am told "12,356 predictions for 12,357 test rows"

  Rule: the whole tutorial, offline, reaches the published result

    @real-data @costly @tutorial
    Scenario: the real data reaches 89.5% within a few calls of the published table
      Given the real data
      When I run the whole tutorial
      Then the overall classification rate is within 0.3 points of 89.5%
      And each cell of the table is within 40 calls of 10769, 167, 1133 and 288

  Rule: a run leaves nothing billed behind

    @costly @tutorial
    Scenario: a run that succeeds takes its endpoint down
      When I run the whole tutorial
      Then I am shown the evaluation block
      And no endpoint, endpoint configuration or model of the run is left

    @moto-only
    Scenario: a run whose endpoint answers nonsense takes its endpoint down all the same
      Given an endpoint runtime that answers with a web page
      When I run the whole tutorial
      Then I am told "the endpoint's reply is not numbers"
      And no endpoint, endpoint configuration or model of the run is left
