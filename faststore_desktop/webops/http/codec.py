"""JSON encoding of the protocol's dataclasses, driven by their type hints.

One codec serves the server (responses, and request bodies it must validate) and the client
(decoding responses), so both sides agree on the shape by construction. Decoding untrusted input
raises `ValidationError` naming the field, never echoing the value.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from datetime import datetime
from functools import cache
from typing import Any, TypeVar, cast

from faststore_desktop.webops.errors import ValidationError

T = TypeVar("T")

#: Integers are 64-bit on the wire (SQLite's integers): larger ones are refused, not stored.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


def encode(value: object) -> Any:
    """A JSON-ready structure for a dataclass, enum, datetime or a collection of them."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(encode(item) for item in value)
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


def decode(tp: type[T], data: object, path: str = "body") -> T:
    """Build a `tp` from JSON data; raises ValidationError naming the first bad field."""
    return cast(T, _decode(tp, data, path))


@cache
def type_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def optional_inner(tp: Any) -> Any | None:
    """`X` for `X | None`, else None."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return args[0]
    return None


def _decode(tp: Any, data: object, path: str) -> object:
    inner = optional_inner(tp)
    if inner is not None:
        return None if data is None else _decode(inner, data, path)
    origin = typing.get_origin(tp)
    if origin in (tuple, frozenset, list):
        if not isinstance(data, list):
            raise _bad(path, "a list")
        item_type = typing.get_args(tp)[0]
        items = [_decode(item_type, item, f"{path}[{i}]") for i, item in enumerate(data)]
        return origin(items)
    if tp is Any:
        return data
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _decode_dataclass(tp, data, path)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp(data)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in tp)
            raise _bad(path, f"one of: {allowed}") from None
    if tp is datetime:
        if not isinstance(data, str):
            raise _bad(path, "a date-time string")
        try:
            return datetime.fromisoformat(data)
        except ValueError:
            raise _bad(path, "an ISO 8601 date-time") from None
    if tp is bool:
        if not isinstance(data, bool):
            raise _bad(path, "true or false")
        return data
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int) or not INT_MIN <= data <= INT_MAX:
            raise _bad(path, "a 64-bit integer")
        return data
    if tp is str:
        if not isinstance(data, str):
            raise _bad(path, "a string")
        return data
    raise TypeError(f"the codec does not handle {tp!r}")


def _decode_dataclass(cls: type, data: object, path: str) -> object:
    if not isinstance(data, dict):
        raise _bad(path, "an object")
    hints = type_hints(cls)
    kwargs: dict[str, object] = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            kwargs[f.name] = _decode(hints[f.name], data[f.name], f"{path}.{f.name}")
        elif not has_default(f):
            raise ValidationError(f"'{path}.{f.name}' is required.")
    unknown = sorted(set(data) - {f.name for f in dataclasses.fields(cls)})
    if unknown:
        raise ValidationError(f"'{path}' has unknown fields: {', '.join(unknown)}.")
    return cls(**kwargs)


def has_default(f: dataclasses.Field[Any]) -> bool:
    return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING


def _bad(path: str, expected: str) -> ValidationError:
    return ValidationError(f"'{path}' must be {expected}.")
