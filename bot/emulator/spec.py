"""The Bot API reference (vendored as JSON) and checks of values against it."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

PRIMITIVES = frozenset({"Integer", "String", "Boolean", "Float", "InputFile"})
_ARRAY = "Array of "


@cache
def load_spec() -> dict[str, Any]:
    text = resources.files("bot.emulator").joinpath("bot-api-spec.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def method_names() -> dict[str, str]:
    """Lower-cased name -> canonical name: Telegram matches method names case-insensitively."""
    return {name.lower(): name for name in load_spec()["methods"]}


def method_spec(name: str) -> dict[str, Any] | None:
    canonical = method_names().get(name.lower())
    if canonical is None:
        return None
    spec: dict[str, Any] = load_spec()["methods"][canonical]
    return spec


def type_spec(name: str) -> dict[str, Any] | None:
    spec: dict[str, Any] | None = load_spec()["types"].get(name)
    return spec


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def type_errors(value: Any, type_name: str, path: str) -> list[str]:
    """Problems of a decoded JSON value against one spec type; empty when it conforms.

    Missing required fields and primitive type mismatches are reported with their
    dotted path; unknown extra fields are tolerated, as Telegram does.
    """
    if type_name.startswith(_ARRAY):
        if not isinstance(value, list):
            return [f"{path} (expected {type_name})"]
        inner = type_name[len(_ARRAY) :]
        errors: list[str] = []
        for i, item in enumerate(value):
            errors.extend(type_errors(item, inner, f"{path}[{i}]"))
        return errors
    if type_name == "Integer":
        return [] if _is_int(value) else [f"{path} (expected Integer)"]
    if type_name == "Float":
        ok = (_is_int(value) or isinstance(value, float)) and not isinstance(value, bool)
        return [] if ok else [f"{path} (expected Float)"]
    if type_name == "Boolean":
        return [] if isinstance(value, bool) else [f"{path} (expected Boolean)"]
    if type_name == "String":
        return [] if isinstance(value, str) else [f"{path} (expected String)"]
    if type_name == "InputFile":
        # Files are either uploaded parts or attach:// / file_id strings; not inspected.
        return []
    spec = type_spec(type_name)
    if spec is None:
        return [f"{path} (unknown type {type_name})"]
    if not isinstance(value, dict):
        return [f"{path} (expected {type_name} object)"]
    subtypes: list[str] | None = spec.get("subtypes")
    if subtypes:
        return best_alternative(value, subtypes, path)
    errors = []
    for field in spec.get("fields", []):
        name = field["name"]
        sub_path = f"{path}.{name}"
        if name not in value:
            if field["required"]:
                errors.append(sub_path)
            continue
        errors.extend(best_alternative(value[name], field["types"], sub_path))
    return errors


def best_alternative(value: Any, types: list[str], path: str) -> list[str]:
    """Errors against the alternative that fits best (none when any alternative fits)."""
    best: list[str] | None = None
    for type_name in types:
        errors = type_errors(value, type_name, path)
        if not errors:
            return []
        if best is None or len(errors) < len(best):
            best = errors
    return best or []


def missing_required_fields(type_name: str, obj: Any) -> list[str]:
    """Dotted paths of required fields absent from ``obj`` (recursively), plus type mismatches.

    ``type_name`` may be any spec type, including abstract ones and ``Array of X``.
    """
    return type_errors(obj, type_name, type_name)


def is_primitive(type_name: str) -> bool:
    while type_name.startswith(_ARRAY):
        type_name = type_name[len(_ARRAY) :]
    return type_name in PRIMITIVES


class CoercionError(ValueError):
    pass


def coerce_param(value: Any, types: list[str]) -> Any:
    """Turn a parameter as received into the typed value, or raise CoercionError.

    Form-encoded and query-string values are strings; Telegram reads numbers and
    booleans out of them and JSON-decodes arrays and objects. JSON bodies carry
    real types but Telegram is equally lenient with strings there.
    """
    if isinstance(value, str):
        # Non-string alternatives first, so chat_id "123" becomes 123 but "@name" stays text.
        detail: list[str] = []
        for type_name in types:
            if type_name in ("String", "InputFile"):
                continue
            converted = _from_string(value, type_name)
            if converted is _NO_VALUE:
                continue
            errors = type_errors(converted, type_name, type_name)
            if not errors:
                return converted
            detail = detail or errors
        if "String" in types or "InputFile" in types:
            return value
        raise CoercionError("; ".join(detail[:3]) or "value is not valid JSON")
    errors = best_alternative(value, types, "value")
    if errors:
        raise CoercionError("; ".join(errors[:3]))
    return value


_NO_VALUE: Any = object()


def _from_string(text: str, type_name: str) -> Any:
    if type_name == "Integer":
        try:
            return int(text.strip())
        except ValueError:
            return _NO_VALUE
    if type_name == "Float":
        try:
            return float(text.strip())
        except ValueError:
            return _NO_VALUE
    if type_name == "Boolean":
        lowered = text.strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        return _NO_VALUE
    try:
        return json.loads(text)
    except ValueError:
        return _NO_VALUE
