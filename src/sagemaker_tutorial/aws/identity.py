"""Step 1: who the tutorial runs as, and where.

The series' step 1 is signing in to the console: after it the reader knows which
account they are in and in which region. On the command line that is STS
GetCallerIdentity (allowed to every identity, even one with no other permission)
plus the configured region. Each way of not being signed in (no credentials,
expired ones, keys AWS does not know) is one line saying what to configure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import TutorialError

if TYPE_CHECKING:
    from .backends import Backend

# What to do when no credentials are found: said by whoami, and by the CLI for any call.
NO_CREDENTIALS = (
    "no AWS credentials found: run `aws configure`, choose a configured profile "
    "(AWS_PROFILE), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
)
_EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired"}
_UNKNOWN = {"InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException"}


@dataclass(frozen=True)
class Identity:
    """The caller: account id, ARN, and the region the tutorial will use."""

    account: str
    arn: str
    region: str

    @property
    def is_role(self) -> bool:
        """A role's session (a notebook instance's own identity) rather than a user."""
        return ":assumed-role/" in self.arn or ":role/" in self.arn

    def report(self) -> list[str]:
        kind = "a role" if self.is_role else "not a role"
        return [
            f"Account: {self.account}",
            f"Identity: {self.arn} ({kind})",
            f"Region: {self.region}",
        ]


def whoami(backend: Backend) -> Identity:
    """GetCallerIdentity, with each sign-in failure told as what to do about it."""
    from botocore.exceptions import ClientError, NoCredentialsError, PartialCredentialsError

    try:
        answer = backend.client("sts").get_caller_identity()
    except (NoCredentialsError, PartialCredentialsError):
        raise TutorialError(NO_CREDENTIALS) from None
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in _EXPIRED:
            raise TutorialError(
                f"your AWS credentials have expired ({code}): sign in again "
                "(`aws sso login`, or fresh temporary credentials)"
            ) from None
        if code in _UNKNOWN:
            raise TutorialError(
                f"AWS does not recognise these credentials ({code}): check the access key "
                "and secret, or the profile in use (AWS_PROFILE)"
            ) from None
        raise
    return Identity(str(answer["Account"]), str(answer["Arn"]), backend.region)
