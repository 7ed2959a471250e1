"""Step definitions: parse a Gherkin step, call sagemaker_tutorial, assert."""
