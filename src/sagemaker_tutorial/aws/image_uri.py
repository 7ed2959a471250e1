"""Step 3c: which XGBoost container image the notebook uses in its region.

The tutorial's dict names four regions; the SageMaker SDK's image registry names
every region SageMaker runs in, for every published XGBoost version, so a reader
in Tokyo (or anywhere) gets the right image without editing code.
"""

from __future__ import annotations

from ..errors import InputError
from .sdk import image_uris

LEGACY_VERSION = "latest"


def xgboost_image_uri(region: str, version: str) -> str:
    """The training image of SageMaker's built-in XGBoost ``version`` in ``region``.

    ``latest`` is the tutorial's legacy XGBoost 0.72 image (``xgboost:latest``).
    The lookup is local (the SDK ships its registry), so a bad version or a
    region without XGBoost is rejected before any network call.
    """
    module = image_uris()
    try:
        return str(module.retrieve("xgboost", region, version, image_scope="training"))
    except ValueError as exc:
        message = str(exc)
        if message.startswith("Unsupported region"):
            raise InputError(f"SageMaker's XGBoost images are not published in {region}") from None
        if message.startswith("Unsupported xgboost version"):
            known = ", ".join(supported_versions())
            raise InputError(
                f"XGBoost {version} is not a published version; choose one of: {known}"
            ) from None
        raise InputError(f"no XGBoost {version} image for {region}: {message}") from None


def supported_versions() -> list[str]:
    """The XGBoost versions the SDK can name an image for, ``latest`` included."""
    versions: list[str] = image_uris().list_versions("xgboost", image_scope="training")
    return [*versions, LEGACY_VERSION] if LEGACY_VERSION not in versions else versions
