"""The OpenAPI document's error responses, as they really occur (a drf-spectacular
postprocessing hook, settings.SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).

Every operation may answer, besides what its view documents itself:

- 400: a bad parameter or body (field errors `{name: [message]}`, or `{"detail"}` for a body
  that is not JSON at all or nested too deep; core.input);
- 401: an `Authorization` header with a token that is not valid (any operation: DRF checks the
  token before the view), and no credentials at all on the editorial API;
- 404: a `format` the operation does not render, and for a path with an id or slug, what does
  not exist or is not visible to the caller;
- 406: an `Accept` header the operation cannot satisfy;
- 414: a request line (method, path and query string) longer than the server reads
  (gunicorn.conf.py `limit_request_line`): gunicorn's own HTML page, before Django sees it;
- 429: too many requests (anonymous clients, and failed token attempts; core.throttling);

and the editorial API (operations that need credentials) also 403 (a role without the right)
and, for writes, 409 (a stale `version`, or an action the row's state does not allow) and 413
(a body over the size limit, core.middleware). An operation that documents a status itself
(the Google-compatible search documents Google's error shape) keeps its own.

Every path also answers `OPTIONS` (DRF's description of the endpoint: SimpleMetadata), after
the same authentication, permission and throttling as its other methods: documented here as an
operation of its own, so that what it answers is checked like the rest.

Request bodies of StrictSerializer (core.input) are documented as they are parsed: no other
property (`additionalProperties: false`), the output-only fields it ignores listed read-only.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension

ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong."},
        "code": {"type": "string", "description": "A stable code (409: stale_version, ...)."},
    },
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": (
        "Field errors: each refused field or parameter (an unknown one too) with its messages, "
        "as a list of strings, or for a list of objects a list of such objects; or `detail` "
        "for a body that could not be read."
    ),
    "additionalProperties": {},
}

METADATA = {
    "type": "object",
    "description": (
        "What the endpoint is (DRF's metadata): its name and description, the media types it "
        "renders and parses, and for an endpoint that takes a body, its fields (`actions`)."
    ),
    "properties": {
        "name": {"type": "string"},
        "description": {"type": "string"},
        "renders": {"type": "array", "items": {"type": "string"}},
        "parses": {"type": "array", "items": {"type": "string"}},
        "actions": {"type": "object", "additionalProperties": {}},
    },
    "required": ["name", "description", "renders", "parses"],
}
METADATA_REF = {"$ref": "#/components/schemas/Metadata"}
TOO_LONG = (
    "The request line (the URL with its query string) is longer than the server reads: "
    "gunicorn's HTML page.",
    {"text/html": {"schema": {"type": "string"}}},
)

STATUSES = {
    "400": ("Bad input: the fields or parameters named, with messages.", "FieldErrors"),
    "401": ("No credentials (editorial API), or an invalid token.", "Error"),
    "403": ("Your role does not allow this.", "Error"),
    "404": ("No such object, or not one you may see; or an unknown `format`.", "Error"),
    "406": ("The `Accept` header asks for a type this operation does not produce.", "Error"),
    "409": ("A stale `version`, or not allowed in the object's current state.", "Error"),
    "413": ("The request body is larger than the limit.", "Error"),
    "415": ("A body that is not `application/json`.", "Error"),
    "429": ("Too many requests: wait for `Retry-After` seconds.", "Error"),
}
WRITES = {"post", "put", "patch", "delete"}
BODIES = {"post", "put", "patch"}
METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


class StrictSerializerExtension(OpenApiSerializerExtension):
    """A StrictSerializer's schema: its fields (a text that may not be blank with at least one
    character that is not whitespace), no other property, and the output-only fields it takes
    and ignores (`ignored_fields`), as properties of any value: a client may send back what it
    read, and nothing it puts there is refused (marked readOnly, schemathesis would count such a
    field in a request as invalid data that was accepted). Registered by importing this module
    (core.apps).
    """

    target_class = "core.input.StrictSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: Any) -> Any:
        from rest_framework import serializers

        schema = auto_schema._map_basic_serializer(self.target, direction)
        properties = schema.setdefault("properties", {})
        for name, field in self.target.fields.items():
            # A text that may not be blank: DRF strips it first, so it needs a character
            # that is not whitespace.
            field_schema = properties.get(name)
            if (
                isinstance(field, serializers.CharField)
                and not field.allow_blank
                and not field.read_only
                and isinstance(field_schema, dict)
                and field_schema.get("type") == "string"
                and "pattern" not in field_schema
                and "format" not in field_schema
            ):
                field_schema.setdefault("minLength", 1)
                if field.trim_whitespace:
                    field_schema["pattern"] = r"\S"
        for name in getattr(self.target, "ignored_fields", ()):
            properties.setdefault(name, {"description": "Output-only: any value, ignored."})
        schema["additionalProperties"] = False
        return schema


def _is_public(operation: dict[str, Any]) -> bool:
    """Whether anonymous callers may use it (drf-spectacular lists an empty requirement)."""
    return {} in operation.get("security", [{}])


def _statuses(method: str, operation: dict[str, Any]) -> list[str]:
    statuses = ["400", "401", "404", "406", "429"]
    if not _is_public(operation):
        statuses.append("403")
        if method in WRITES:
            statuses.append("409")
        if method in BODIES:
            statuses += ["413", "415"]
    return sorted(statuses)


def _media_types(operation: dict[str, Any]) -> list[str]:
    """The types its success answers come in: errors are rendered the same way (a
    `?format=jsonld` 404 is `application/ld+json`)."""
    types: list[str] = []
    for status, response in operation["responses"].items():
        if status.startswith("2"):
            types += [t for t in response.get("content", {}) if t not in types]
    return types or ["application/json"]


def _options_operation(path: str, path_item: dict[str, Any]) -> dict[str, Any]:
    """The `OPTIONS` operation of `path`, with the security and path parameters of its other
    operations (GET's when it has one), any text for the latter."""
    operations = [op for method, op in path_item.items() if method in METHODS]
    sibling = path_item.get("get") or operations[0]
    operation: dict[str, Any] = {
        "operationId": re.sub(r"[^a-zA-Z0-9]+", "_", path).strip("_") + "_options",
        "description": "What this endpoint is: DRF's metadata (name, media types, fields).",
        "tags": sibling.get("tags", []),
        # Any segment the URL routes: the metadata does not look the object up.
        "parameters": [
            {**p, "schema": {"type": "string"}}
            for p in sibling.get("parameters", [])
            if p.get("in") == "path"
        ],
        "responses": {
            "200": {
                "description": "The endpoint's metadata.",
                "content": {"application/json": {"schema": METADATA_REF}},
            }
        },
    }
    if "security" in sibling:
        operation["security"] = sibling["security"]
    return operation


def _views(generator: Any) -> dict[tuple[str, str], Any]:
    """(path, method) -> the view class serving it."""
    views = {}
    for path, _regex, method, callback in getattr(generator, "endpoints", None) or []:
        views[(path, method.lower())] = getattr(callback, "cls", None)
    return views


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> Any:
    """Add the `OPTIONS` operation of every path and the error responses above to every
    operation of `result` that lacks them, and mark the string parameters of views that refuse
    an empty value (core.input.KnownQueryParams) with `minLength: 1`."""
    from core.input import KnownQueryParams

    views = _views(generator)
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    schemas.setdefault("Metadata", METADATA)
    for path, path_item in result.get("paths", {}).items():
        if "options" not in path_item and any(m in path_item for m in METHODS):
            path_item["options"] = _options_operation(path, path_item)
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            view = views.get((path, method))
            if isinstance(view, type) and issubclass(view, KnownQueryParams):
                for parameter in operation.get("parameters", []):
                    schema = parameter.get("schema", {})
                    if parameter.get("in") == "query" and schema.get("type") == "string":
                        schema.setdefault("minLength", 1)
            media_types = _media_types(operation)
            responses = operation["responses"]
            for status in _statuses(method, operation):
                description, name = STATUSES[status]
                body = {"schema": {"$ref": f"#/components/schemas/{name}"}}
                response = responses.get(status)
                if response is None:
                    responses[status] = {
                        "description": description,
                        "content": {media_type: body for media_type in media_types},
                    }
                elif not response.get("content"):
                    # A view's own description, without a body: the body is the usual shape.
                    response["content"] = {media_type: body for media_type in media_types}
            description, content = TOO_LONG
            responses.setdefault("414", {"description": description, "content": content})
    return result
