"""The AWS SageMaker XGBoost "bank marketing" tutorial as an executable specification.

Importing this package is cheap on purpose: pandas, boto3 and the SageMaker SDK
are imported by the modules that need them, so ``sagemaker-tutorial --help``
stays fast.
"""

__version__ = "0.1.0"
