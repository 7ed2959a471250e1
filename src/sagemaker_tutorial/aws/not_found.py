"""Whether SageMaker's answer means "there is no such resource", in any of its wordings.

SageMaker answers a Describe or Delete of something missing with a
ValidationException whose text depends on the resource ("Could not find endpoint
...", "RecordNotFound" for a notebook instance, "Requested resource not found." for
a training job); emulators say ResourceNotFound or "does not exist". Clean-up and
waits treat all of them as "gone", so the rule is written once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from botocore.exceptions import ClientError

_CODES = ("ValidationException", "ValidationError")
_MISSING_CODES = ("ResourceNotFound", "ResourceNotFoundException")
_WORDINGS = ("could not find", "does not exist", "recordnotfound", "requested resource not found")


def is_not_found(error: ClientError) -> bool:
    """True when ``error`` says the resource asked about does not exist."""
    details = error.response.get("Error", {})
    code, message = str(details.get("Code", "")), str(details.get("Message", "")).lower()
    return code in _MISSING_CODES or (
        code in _CODES and any(wording in message for wording in _WORDINGS)
    )
