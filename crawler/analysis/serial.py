"""JSON round trip for the analysis dataclasses.

Owns the one generic conversion between the frozen result dataclasses and plain JSON values
(dates as ISO strings, tuples as lists), driven by the type hints, so every result type gets
an exact ``to_json`` / ``from_json`` pair without hand-written per-class code. A 304 Not
Modified reuses the stored analysis, so the round trip must be lossless.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from typing import Any, TypeVar

T = TypeVar("T")

JsonValue = Any  # what json.dumps accepts; kept loose because it is recursive


def to_jsonable(obj: object) -> JsonValue:
    """Turn a (nested) dataclass value into JSON-serialisable Python values."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(item) for item in obj]
    if isinstance(obj, dict):
        return {str(key): to_jsonable(value) for key, value in obj.items()}
    if isinstance(obj, (datetime, date)):
        return obj.isoformat()
    return obj


def from_jsonable(cls: type[T], data: JsonValue) -> T:
    """Rebuild a dataclass instance of ``cls`` from ``to_jsonable`` output."""
    result: T = _convert(cls, data)
    return result


def _convert(tp: Any, value: JsonValue) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        options = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        return _convert(options[0], value)
    if origin is typing.Literal or tp is Any:
        return value
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], item) for item in value)
        return tuple(_convert(arg, item) for arg, item in zip(args, value, strict=True))
    if origin in (dict, typing.Mapping) or tp is dict:
        args = typing.get_args(tp)
        value_type = args[1] if args else Any
        return {key: _convert(value_type, item) for key, item in value.items()}
    if tp is datetime:
        return datetime.fromisoformat(value)
    if tp is date:
        return date.fromisoformat(value)
    if tp is float:
        return float(value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        kwargs = {
            f.name: _convert(hints[f.name], value[f.name])
            for f in dataclasses.fields(tp)
            if f.name in value
        }
        return tp(**kwargs)
    return value
