"""The AWS SageMaker XGBoost "bank marketing" tutorial as an executable specification.

Importing this package is cheap on purpose: pandas, boto3 and the SageMaker SDK
are imported by the modules that need them, so ``sagemaker-tutorial --help``
stays fast. The public API for notebooks and scripts is `Tutorial` (see
tutorial.py); it is loaded on first use, so ``import sagemaker_tutorial`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .tutorial import Tutorial

__version__ = "0.1.0"
__all__ = ["Tutorial", "__version__"]


def __getattr__(name: str) -> Any:
    """``from sagemaker_tutorial import Tutorial`` imports tutorial.py only then."""
    if name == "Tutorial":
        from .tutorial import Tutorial

        return Tutorial
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), "Tutorial"])
