"""The OpenAPI 3.1 document of the API, generated from the operation table and the types.

`python -m faststore_desktop.webops.server.openapi > docs/api/openapi.yaml` refreshes the
committed copy; a test fails when the two differ, so the document cannot drift from the server.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import re
import sys
import typing
from datetime import datetime
from functools import cache
from typing import Any

from faststore_desktop import __version__
from faststore_desktop.core.validation import Finding
from faststore_desktop.webops.http.bodies import API_PREFIX, HEALTH_PATH, Health
from faststore_desktop.webops.http.codec import (
    INT_MAX,
    INT_MIN,
    has_default,
    optional_inner,
    type_hints,
)
from faststore_desktop.webops.http.problems import MEDIA_TYPE as PROBLEM_MEDIA_TYPE
from faststore_desktop.webops.server import sse
from faststore_desktop.webops.server.api import (
    MAX_IDEMPOTENCY_KEY,
    OPERATIONS,
    Operation,
    query_bounds,
)

_PATH_PARAM = re.compile(r"{(\w+)}")
#: What the document says of a header beyond its name and whether the operation requires it (by
#: default: a string).
_HEADER_DETAILS: dict[str, dict[str, Any]] = {
    "Idempotency-Key": {
        "description": (
            "Repeating the request with the same key (same token, operation and store) answers "
            "what the first one did without doing it again; the same key with a different "
            "request is 409. Kept 30 days."
        ),
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_IDEMPOTENCY_KEY},
    }
}
_AUTH_ERRORS = (401, 403, 429)
_ALWAYS = (422, 503)
_DESCRIPTIONS = {
    200: "OK",
    201: "Created",
    204: "No content",
    401: "Missing, wrong, revoked or expired token",
    403: "The token's role does not allow this",
    404: "No such store, entry, deployment or step",
    409: "Conflict: the entry changed since it was read, or already exists",
    413: "Over a limit (body size, entries per change set, value size)",
    422: "Invalid request",
    429: "Too many failed authentication attempts",
    503: "Unavailable; safe to retry",
}


@cache
def openapi_document() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    schemas["Problem"] = _problem_schema(schemas)
    paths: dict[str, Any] = {
        HEALTH_PATH: {
            "get": _public(
                "health", "Is the server up (no authentication)", schema_of(Health, schemas)
            )
        },
        API_PREFIX + "/openapi.json": {
            "get": _public("openapi", "This document", {"type": "object"})
        },
    }
    for op in OPERATIONS:
        responses: dict[str, Any] = {str(op.status): _success(op, schemas)}
        for status in sorted({*_AUTH_ERRORS, *_ALWAYS, *op.errors}):
            responses[str(status)] = {"$ref": f"#/components/responses/E{status}"}
        operation: dict[str, Any] = {
            "operationId": op.name,
            "summary": op.summary,
            "x-required-role": op.role.label,
            "parameters": _parameters(op, schemas),
            "responses": responses,
        }
        if op.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": schema_of(op.body, schemas)}},
            }
        paths.setdefault(API_PREFIX + op.path, {})[op.method.lower()] = operation
    error_responses = {
        f"E{status}": {
            "description": _DESCRIPTIONS[status],
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in sorted({*_AUTH_ERRORS, *_ALWAYS, 404, 409, 413})
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "FastStore WebOps API",
            "version": __version__,
            "description": "Variables, secrets and deployments of FastStore stores. "
            "Errors are RFC 9457 problem details; log and event streams are Server-Sent Events.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": dict(sorted(schemas.items())),
            "responses": error_responses,
        },
    }


def schema_of(tp: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema for a type the codec handles; dataclasses become named components."""
    inner = optional_inner(tp)
    if inner is not None:
        return {"anyOf": [schema_of(inner, schemas), {"type": "null"}]}
    origin = typing.get_origin(tp)
    if origin in (tuple, list, frozenset):
        array: dict[str, Any] = {
            "type": "array",
            "items": schema_of(typing.get_args(tp)[0], schemas),
        }
        if origin is frozenset:
            array["uniqueItems"] = True
        return array
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in schemas:
            schemas[name] = {}  # placeholder: breaks recursion
            schemas[name] = _dataclass_schema(tp, schemas)
        return {"$ref": f"#/components/schemas/{name}"}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"type": "string", "enum": [m.value for m in tp]}
    simple: dict[Any, dict[str, Any]] = {
        datetime: {"type": "string", "format": "date-time"},
        bool: {"type": "boolean"},
        int: {"type": "integer", "minimum": INT_MIN, "maximum": INT_MAX},
        str: {"type": "string"},
    }
    if tp in simple:
        return dict(simple[tp])
    return {}


def _dataclass_schema(cls: type, schemas: dict[str, Any]) -> dict[str, Any]:
    hints = type_hints(cls)
    fields = dataclasses.fields(cls)
    return {
        "type": "object",
        "properties": {f.name: schema_of(hints[f.name], schemas) for f in fields},
        "required": [f.name for f in fields if not has_default(f)],
        "additionalProperties": False,
    }


def _success(op: Operation, schemas: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = {"description": _DESCRIPTIONS[op.status]}
    if op.stream:
        response["description"] = (
            f"Server-Sent Events; each `data` is a {op.response.__name__} "
            "(event `error` carries a Problem; a log stream ends with event `end`)"
        )
        response["content"] = {sse.MEDIA_TYPE: {"schema": {"type": "string"}}}
        response["x-event-data"] = schema_of(op.response, schemas)
    elif op.response is not None:
        response["content"] = {"application/json": {"schema": schema_of(op.response, schemas)}}
    return response


def _parameters(op: Operation, schemas: dict[str, Any]) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _PATH_PARAM.findall(op.path)
    ]
    params += [
        {"name": name, "in": "query", "required": False, "schema": _query_schema(name, tp, schemas)}
        for name, tp in op.query
    ]
    params += [
        {
            "name": name,
            "in": "header",
            "required": name in op.required_headers,
            "schema": {"type": "string"},
        }
        | _HEADER_DETAILS.get(name, {})
        for name in op.headers
    ]
    return params


def _query_schema(name: str, tp: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    schema = schema_of(optional_inner(tp) or tp, schemas)
    if schema.get("type") == "integer":
        schema["minimum"], schema["maximum"] = query_bounds(name)
    return schema


def _public(name: str, summary: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "operationId": name,
        "summary": summary,
        "security": [],
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": schema}}}
        },
    }


def _problem_schema(schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": "RFC 9457 problem details; `type` names the protocol error "
        "(urn:faststore-desktop:problem:<code>).",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
            "key": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "current_version": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
            "findings": {"type": "array", "items": schema_of(Finding, schemas)},
        },
        "required": ["type", "title", "status", "detail"],
    }


def main() -> None:
    import yaml  # type: ignore[import-untyped]  # a development tool only: the server itself serves JSON

    sys.stdout.write("# Generated by `python -m faststore_desktop.webops.server.openapi`.\n")
    sys.stdout.write(yaml.safe_dump(json.loads(json.dumps(openapi_document())), sort_keys=False))


if __name__ == "__main__":
    main()
