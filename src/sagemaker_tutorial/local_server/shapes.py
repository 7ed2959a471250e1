"""The members AWS always returns for a resource, which moto leaves out.

botocore's output shapes mark few members *required*; AWS's answers carry more, and
clients read some of them unconditionally. The SageMaker SDK v2's
``Estimator.attach`` (``_prepare_init_params_from_job_description``) reads
``job_details["OutputDataConfig"]["KmsKeyId"]``; AWS answers ``""`` for a job that set
no key, as the SDK's own fixture of a real answer shows (aws/sagemaker-python-sdk,
``tests/unit/test_estimator.py``, ``RETURNED_JOB_DESCRIPTION``: ``"OutputDataConfig":
{"KmsKeyId": "", "S3OutputPath": ...}``). moto records only what the request held.

Each entry is (path of structure keys, member, value when absent); a member is added
only when the structure holding it is in the answer, so nothing is invented for a
resource that does not have that part.
"""

from __future__ import annotations

from typing import Any

ALWAYS_RETURNED: dict[str, tuple[tuple[tuple[str, ...], str, Any], ...]] = {
    "DescribeTrainingJob": (
        # SDK v2 test fixture (above): the key AWS returns as "" when none was set.
        (("OutputDataConfig",), "KmsKeyId", ""),
    ),
    "DescribeTransformJob": (
        # The same member of the same kind of structure (TransformOutput), as AWS
        # answers a job without a key (SDK v2 Transformer.attach reads it with .get).
        (("TransformOutput",), "KmsKeyId", ""),
    ),
}


def add_always_returned(operation: str, answer: dict[str, Any]) -> dict[str, Any]:
    """``answer`` with the members AWS always sends for ``operation`` filled in."""
    for path, member, default in ALWAYS_RETURNED.get(operation, ()):
        holder: Any = answer
        for key in path:
            holder = holder.get(key) if isinstance(holder, dict) else None
        if isinstance(holder, dict) and member not in holder:
            holder[member] = default
    return answer
