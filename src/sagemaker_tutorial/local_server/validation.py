"""SageMaker's request validation, from botocore's own model of the SageMaker API.

AWS checks every request against the API's shapes before doing anything, and answers
400 ``ValidationException`` "1 validation error detected: Value 'http://x' at
'inputDataConfig.1.member.dataSource.s3DataSource.s3Uri' failed to satisfy constraint:
Member must satisfy regular expression pattern: ^(https|s3)://([^/]+)/?(.*)$". moto
checks almost nothing, and a value of the wrong type reaches its code (or the layer's)
as a crash, a 500 that botocore retries. So the layer checks each SageMaker request
against the shape botocore describes it with (the same model the caller's SDK was
built from): required members, types, enums, lengths, ranges and patterns, and words
each finding as AWS does (member names in lowerCamelCase, list items as
``N.member``). Members the model does not know are ignored, as AWS ignores them.
A pattern Python's ``re`` cannot compile (Java-only syntax) is not checked.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from botocore.model import ListShape, MapShape, ServiceModel, Shape, StructureShape

_MAX_SHOWN = 10  # AWS lists a handful of findings, not all of them


def service_model() -> ServiceModel:
    """botocore's model of the SageMaker API: moto's own copy (parsed once, on first use).

    The model is a large JSON file; moto parses it for its own answers, and sharing
    that copy saves the layer parsing it again (for this check and describe_fix.py).
    """
    from moto.core.utils import get_service_model

    return get_service_model("sagemaker")


def problems(operation: str, request: dict[str, Any]) -> str | None:
    """AWS's ValidationException message for ``request``, or None if it is valid.

    An operation the model does not know is reported as such.
    """
    model = service_model()
    if operation not in model.operation_names:
        return f"The operation {operation} is not part of the SageMaker API."
    shape = model.operation_model(operation).input_shape
    findings: list[str] = []
    if shape is not None:
        _check(shape, request, "", findings)
    if not findings:
        return None
    count = len(findings)
    shown = "; ".join(findings[:_MAX_SHOWN])
    return f"{count} validation error{'s' if count > 1 else ''} detected: {shown}"


def _member_path(parent: str, name: str) -> str:
    member = name[:1].lower() + name[1:]
    return f"{parent}.{member}" if parent else member


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 200 else text[:200] + "..."


def _fail(findings: list[str], value: Any, path: str, constraint: str) -> None:
    shown = "null" if value is None else f"'{_shown(value)}'"
    findings.append(
        f"Value {shown} at '{path or 'request'}' failed to satisfy constraint: {constraint}"
    )


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


_TYPES: dict[str, tuple[type[Any], ...]] = {
    "string": (str,),
    "blob": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
    "timestamp": (int, float, str),
}


def _check(shape: Shape, value: Any, path: str, findings: list[str]) -> None:
    kind = shape.type_name
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            _fail(findings, value, path, "Member must be a structure")
            return
        for name in shape.required_members:
            if value.get(name) is None:
                _fail(findings, None, _member_path(path, name), "Member must not be null")
        for name, member in shape.members.items():
            if value.get(name) is not None:
                _check(member, value[name], _member_path(path, name), findings)
        return
    if isinstance(shape, ListShape):
        if not isinstance(value, list):
            _fail(findings, value, path, "Member must be a list")
            return
        _check_length(shape, value, path, findings)
        for index, item in enumerate(value, start=1):
            _check(shape.member, item, f"{path}.{index}.member", findings)
        return
    if isinstance(shape, MapShape):
        if not isinstance(value, dict):
            _fail(findings, value, path, "Member must be a map")
            return
        _check_length(shape, value, path, findings)
        for key, item in value.items():
            _check(shape.key, key, f"{path}.key", findings)
            _check(shape.value, item, f"{path}.{key}", findings)
        return
    expected = _TYPES.get(kind)
    if expected is None:
        return
    if not isinstance(value, expected) or (kind != "boolean" and isinstance(value, bool)):
        _fail(findings, value, path, f"Member must be of type {kind}")
        return
    if kind == "string":
        _check_string(shape, value, path, findings)
    elif kind in ("integer", "long", "float", "double"):
        _check_range(shape, value, path, findings)


def _check_length(shape: Shape, value: Any, path: str, findings: list[str]) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and len(value) < low:
        _fail(findings, value, path, f"Member must have length greater than or equal to {low}")
    if high is not None and len(value) > high:
        _fail(findings, value, path, f"Member must have length less than or equal to {high}")


def _check_string(shape: Shape, value: str, path: str, findings: list[str]) -> None:
    enum: list[str] = getattr(shape, "enum", None) or []
    if enum and value not in enum:
        _fail(findings, value, path, f"Member must satisfy enum value set: [{', '.join(enum)}]")
        return
    _check_length(shape, value, path, findings)
    pattern = shape.metadata.get("pattern")
    compiled = _compiled(pattern) if pattern else None
    if compiled is not None and compiled.fullmatch(value) is None:
        _fail(
            findings,
            value,
            path,
            f"Member must satisfy regular expression pattern: {pattern}",
        )


def _check_range(shape: Shape, value: float, path: str, findings: list[str]) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and value < low:
        _fail(findings, value, path, f"Member must have value greater than or equal to {low}")
    if high is not None and value > high:
        _fail(findings, value, path, f"Member must have value less than or equal to {high}")
