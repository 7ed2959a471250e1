"""AWS-managed IAM policies (AmazonSageMakerFullAccess...), there from an IAM backend's first call.

Step 2 attaches AmazonSageMakerFullAccess, which moto knows only when asked
(``MOTO_IAM_LOAD_MANAGED_POLICIES``), and then it builds all 1,582 policies into
every IAM backend it makes: one per partition, six, because working out an account
from an access key visits them all; and again for each of them on every reset.
That was 0.8 s of the first IAM call of every run, a third of `run`'s start-up.

Here moto's switch stays off and the same policies, built as moto builds them,
are added to the one backend an IAM call is answered from, just before its first
call (a reset makes new backends, which get them again on their first call).
"""

from __future__ import annotations

import functools
import json
import os
import threading
from typing import Any

_LOADED = "_local_sagemaker_aws_managed_policies"
_lock = threading.Lock()


@functools.cache
def _policy_data() -> dict[str, Any]:
    """moto's AWS-managed policies, parsed once per process (read-only from then on)."""
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    data: dict[str, Any] = json.loads(aws_managed_policies_data)
    return data


def ensure_loaded(access_key: str, account: str | None, region: str) -> None:
    """Give the IAM backend a call is answered from the AWS-managed policies.

    The account is worked out as moto does for the call (``MOTO_ACCOUNT_ID``, then the
    call's account header, then the access key's account), without a call of its
    own: a server counting calls before it checks IAM (INITIAL_NO_AUTH_ACTION_COUNT)
    must count the client's calls only.
    """
    from moto.iam.models import (
        AWSManagedPolicy,
        ManagedPolicy,
        get_account_id_from,
        iam_backends,
    )
    from moto.utilities.utils import get_partition

    account_id = os.environ.get("MOTO_ACCOUNT_ID") or account or get_account_id_from(access_key)
    backend = iam_backends[account_id][get_partition(region)]
    if getattr(backend, _LOADED, False):
        return
    with _lock:
        if getattr(backend, _LOADED, False):
            return
        if not backend.aws_managed_policies:  # moto did not load them itself
            policies: list[ManagedPolicy] = [
                AWSManagedPolicy.from_data(name, account_id, backend.region_name, data)
                for name, data in _policy_data().items()
            ]
            backend.aws_managed_policies = policies
            backend.managed_policies.update({policy.arn: policy for policy in policies})
        setattr(backend, _LOADED, True)
