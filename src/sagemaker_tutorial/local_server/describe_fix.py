"""Make moto's SageMaker Describe* answers look like AWS's: unset structures are omitted.

moto answers ``"VpcConfig": {}``, ``"DataCaptureConfig": {}`` (and the like) for fields
the caller never set; AWS leaves such fields out. Clients that validate answers
against the API model choke on the empty objects: the SageMaker SDK v3's pydantic
classes (``sagemaker.core.resources``) reject a ``VpcConfig`` without ``subnets``
and ``security_group_ids``. The rule applied here is the API's own: walking the
answer along botocore's output shape, a *structure* member that is ``{}`` or
``null`` is dropped; *maps* (``Environment``, ``HyperParameters``, ``Tags``) may be
empty and are kept, as AWS keeps them.

One list is dropped as well: DescribeModel's ``"Containers": []`` next to a
``PrimaryContainer`` (AWS returns one or the other).
"""

from __future__ import annotations

from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from .validation import service_model


def _clean(value: Any, shape: Shape) -> Any:
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        cleaned: dict[str, Any] = {}
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None:
                cleaned[name] = item
            elif item is None or (isinstance(member, StructureShape) and item == {}):
                continue
            else:
                cleaned[name] = _clean(item, member)
        return cleaned
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [_clean(item, shape.member) for item in value]
    if isinstance(shape, MapShape) and isinstance(value, dict):
        return {key: _clean(item, shape.value) for key, item in value.items()}
    return value


def drop_unset_fields(operation: str, answer: dict[str, Any]) -> dict[str, Any]:
    """``answer`` (moto's JSON for SageMaker ``operation``) without the fields AWS omits."""
    output = service_model().operation_model(operation).output_shape
    cleaned: dict[str, Any] = _clean(answer, output) if output is not None else dict(answer)
    has_primary = operation == "DescribeModel" and bool(cleaned.get("PrimaryContainer"))
    if has_primary and cleaned.get("Containers") == []:
        del cleaned["Containers"]
    return cleaned
