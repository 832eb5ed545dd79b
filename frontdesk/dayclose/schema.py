"""A small JSON Schema (draft 2020-12) validator for exactly the keywords manifest.schema.json uses.

The ``jsonschema`` package is not a dependency; this covers: type, const, enum, pattern,
minLength, minimum, minItems, required, properties, additionalProperties, propertyNames,
items and local ``$ref`` into ``$defs``. A test checks the schema uses nothing else.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

SUPPORTED_KEYWORDS = frozenset({
    "$schema", "$id", "$defs", "$ref", "title", "description", "type", "const", "enum",
    "pattern", "minLength", "minimum", "minItems", "required", "properties",
    "additionalProperties", "propertyNames", "items",
})

_TYPES: dict[str, Any] = {
    "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
}


@cache
def manifest_schema() -> dict[str, Any]:
    """The manifest's JSON Schema as shipped with the program."""
    text = resources.files("frontdesk.dayclose").joinpath("manifest.schema.json").read_text(
        encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def schema_text() -> bytes:
    """The schema file's exact bytes (copied into every package)."""
    return resources.files("frontdesk.dayclose").joinpath("manifest.schema.json").read_bytes()


def _is_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if name in ("object", "array", "string", "null"):
        return isinstance(value, _TYPES[name])
    return isinstance(value, bool) if name == "boolean" else False


def validate(instance: Any, schema: dict[str, Any] | None = None) -> list[str]:
    """Every way ``instance`` breaks the manifest schema, as "path: problem" lines."""
    root = manifest_schema() if schema is None else schema
    errors: list[str] = []
    _check(instance, root, root, "$", errors)
    return errors


def _check(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str,
           errors: list[str]) -> None:
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {ref}")
        _check(value, root["$defs"][ref.removeprefix("#/$defs/")], root, path, errors)
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is_type(value, n) for n in names):
            errors.append(f"{path}: should be {' or '.join(names)}")
            return
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: should be {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: should be one of {schema['enum']!r}")
    if isinstance(value, str):
        if "pattern" in schema and re.search(schema["pattern"], value) is None:
            errors.append(f"{path}: does not match {schema['pattern']}")
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{path}: too short")
    if _is_type(value, "number") and "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{path}: less than {schema['minimum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{path}: fewer than {schema['minItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                _check(item, schema["items"], root, f"{path}[{i}]", errors)
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{path}: missing {key!r}")
        props = schema.get("properties", {})
        for key, item in value.items():
            if "propertyNames" in schema:
                _check(key, schema["propertyNames"], root, f"{path}.{key} (name)", errors)
            if key in props:
                _check(item, props[key], root, f"{path}.{key}", errors)
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}: unexpected {key!r}")
            elif isinstance(schema.get("additionalProperties"), dict):
                _check(item, schema["additionalProperties"], root, f"{path}.{key}", errors)
