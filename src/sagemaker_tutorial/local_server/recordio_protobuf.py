"""A reader for SageMaker's RecordIO-protobuf, the body the SDK's ``RecordSerializer`` sends.

No maintained parser is on the package index: the container reads it with
``sagemaker_containers.record_pb2`` (a generated class in a package that pins old
dependencies) or MLIO (conda only), and the SDK v2's ``sagemaker.amazon.common``
comes with the whole SDK v2. The format is small, so it is read here directly:

- RecordIO framing (MXNet's): per record a little-endian ``uint32`` magic
  ``0xced7230a``, a ``uint32`` whose low 29 bits are the payload length, the payload,
  and zero padding to a multiple of 4 bytes.
- The payload is an ``aialgs.data.Record`` protobuf message: field 1 ``features`` and
  field 2 ``label`` are ``map<string, Value>``; a ``Value`` holds a
  ``Float32Tensor`` (field 2), ``Float64Tensor`` (3) or ``Int32Tensor`` (7), each with
  ``values`` (1), ``keys`` (2, the column of each value when sparse) and ``shape``
  (3), all packed repeated fields.

The container reads the tensor named ``values`` of each record's features as one row
(dense, or sparse by keys and shape); so does this reader. Tested against bytes the
SDK v2's own serializer wrote (tests/data/).
"""

from __future__ import annotations

import struct

import numpy as np
import numpy.typing as npt

MAGIC = 0xCED7230A
_LENGTH_MASK = (1 << 29) - 1
_VARINT, _FIXED64, _LENGTH, _FIXED32 = 0, 1, 2, 5
# Value's tensor fields: number -> (packed element format, or None for varints)
_TENSORS = {2: "<f", 3: "<d", 7: None}


class RecordIOError(ValueError):
    """Bytes that are not RecordIO-protobuf."""


def _varint(data: bytes, offset: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if offset >= len(data):
            raise RecordIOError("truncated varint")
        byte = data[offset]
        offset += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, offset
        shift += 7


def _fields(data: bytes) -> list[tuple[int, int, bytes | int]]:
    """A protobuf message's (field number, wire type, value) in order."""
    fields: list[tuple[int, int, bytes | int]] = []
    offset = 0
    while offset < len(data):
        tag, offset = _varint(data, offset)
        number, wire = tag >> 3, tag & 7
        value: bytes | int
        if wire == _VARINT:
            value, offset = _varint(data, offset)
        elif wire == _LENGTH:
            size, offset = _varint(data, offset)
            value, offset = data[offset : offset + size], offset + size
        elif wire == _FIXED64:
            value, offset = data[offset : offset + 8], offset + 8
        elif wire == _FIXED32:
            value, offset = data[offset : offset + 4], offset + 4
        else:
            raise RecordIOError(f"unsupported protobuf wire type {wire}")
        if offset > len(data):
            raise RecordIOError("truncated protobuf field")
        fields.append((number, wire, value))
    return fields


def _packed(value: bytes | int, element: str | None) -> list[float]:
    if isinstance(value, int):  # one unpacked varint element
        return [float(value)]
    if element is None:
        items, offset = [], 0
        while offset < len(value):
            item, offset = _varint(value, offset)
            items.append(float(item - (1 << 64) if item >= 1 << 63 else item))
        return items
    size = struct.calcsize(element)
    return [float(v) for (v,) in struct.iter_unpack(element, value[: len(value) // size * size])]


def _tensor(value: bytes) -> tuple[list[float], list[int], list[int]]:
    """(values, keys, shape) of a Value message."""
    for number, wire, payload in _fields(value):
        if number in _TENSORS and wire == _LENGTH and isinstance(payload, bytes):
            values: list[float] = []
            keys: list[int] = []
            shape: list[int] = []
            for field, _, item in _fields(payload):
                if field == 1:
                    values.extend(_packed(item, _TENSORS[number]))
                elif field == 2:
                    keys.extend(int(k) for k in _packed(item, None))
                elif field == 3:
                    shape.extend(int(s) for s in _packed(item, None))
            return values, keys, shape
    return [], [], []


def _feature_row(record: bytes) -> dict[int, float]:
    for number, _, entry in _fields(record):
        if number != 1 or not isinstance(entry, bytes):
            continue
        parts = {field: item for field, _, item in _fields(entry)}
        if parts.get(1) == b"values" and isinstance(parts.get(2), bytes):
            values, keys, _ = _tensor(parts[2])  # type: ignore[arg-type]
            columns = keys if keys else list(range(len(values)))
            return dict(zip(columns, values, strict=False))
    raise RecordIOError("a record has no 'values' feature tensor")


def records(data: bytes) -> list[bytes]:
    """The payloads of RecordIO-framed ``data``."""
    payloads, offset = [], 0
    while offset < len(data):
        if offset + 8 > len(data):
            raise RecordIOError(f"truncated RecordIO header at offset {offset}")
        magic, word = struct.unpack_from("<II", data, offset)
        if magic != MAGIC:
            raise RecordIOError(f"Invalid RecordIO magic at offset {offset}")
        length = word & _LENGTH_MASK
        offset += 8
        if offset + length > len(data):
            raise RecordIOError(f"Truncated record at offset {offset}")
        payloads.append(data[offset : offset + length])
        offset += (length + 3) // 4 * 4
    return payloads


def read_features(data: bytes, width: int = 0) -> npt.NDArray[np.float64]:
    """One row per record, at least ``width`` columns; absent (sparse) values are NaN."""
    rows = [_feature_row(record) for record in records(data)]
    columns = max([width, *(max(row, default=-1) + 1 for row in rows)])
    matrix = np.full((len(rows), columns), np.nan)
    for index, row in enumerate(rows):
        for column, value in row.items():
            matrix[index, column] = value
    return matrix
