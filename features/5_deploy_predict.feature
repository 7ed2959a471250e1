@step-5 @part-8 @costly
Feature: Host the model and ask it for predictions
  A trained model is only a file in S3 until SageMaker hosts it on an endpoint: a
  model (the XGBoost image with the artifact), an endpoint configuration (on what
  instances) and the endpoint itself, which answers HTTPS requests with predictions.
  The tutorial then sends the whole test part in one request and reads the reply with
  `np.fromstring(predictions[1:], sep=',')`: the request fails once the test part
  passes InvokeEndpoint's 6 MB limit, the `[1:]` slice mangles the first prediction,
  and a reply that is not numbers becomes a shorter array nobody notices. Here the
  rows go in requests under the limit, the reply must be exactly one number per row,
  and the endpoint, billed by the hour while it stands, is taken down on request.

  Rule: the endpoint answers each call of the test part with a probability

    @tutorial
    Scenario: the hosted model answers the 12,357 test calls with probabilities
      Given a trained model
      When I host the model on an endpoint
      And I ask the endpoint for predictions for the test part
      Then I get 12,357 probabilities between 0 and 1
      And they are the trained model's own predictions for those calls

  Rule: requests stay under InvokeEndpoint's 6 MB limit

    Scenario: a test part five times as large goes in several requests
      Given the model is hosted on an endpoint
      When I ask the endpoint for predictions for the test part five times over
      Then I get 61,785 probabilities between 0 and 1
      And no request was larger than 6 MB

  Rule: a reply that is not one number per call is refused

    @moto-only
    Scenario: an endpoint that answers with something other than numbers is refused
      Given the model is hosted on an endpoint that answers with a web page
      When I ask the endpoint for predictions for the test part
      Then I am told "the endpoint's reply is not numbers"
      And no predictions were saved

  Rule: an endpoint bills while it stands, so taking it down removes all three parts

    Scenario: taking the endpoint down deletes the endpoint, its configuration and the model
      Given the model is hosted on an endpoint
      When I take the endpoint down
      Then no endpoint, endpoint configuration or model of the run is left

    Scenario: taking it down again is harmless
      Given the model is hosted on an endpoint
      When I take the endpoint down twice
      Then I am told the endpoint "was already gone"
