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
- 429: too many requests (anonymous clients, and failed token attempts; core.throttling);

and the editorial API (operations that need credentials) also 403 (a role without the right)
and, for writes, 409 (a stale `version`, or an action the row's state does not allow) and 413
(a body over the size limit, core.middleware). An operation that documents a status itself
(the Google-compatible search documents Google's error shape) keeps its own.
"""

from __future__ import annotations

from typing import Any

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


def _views(generator: Any) -> dict[tuple[str, str], Any]:
    """(path, method) -> the view class serving it."""
    views = {}
    for path, _regex, method, callback in getattr(generator, "endpoints", None) or []:
        views[(path, method.lower())] = getattr(callback, "cls", None)
    return views


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> Any:
    """Add the error responses above to every operation of `result` that lacks them, and mark
    the string parameters of views that refuse an empty value (core.input.KnownQueryParams)
    with `minLength: 1`."""
    from core.input import KnownQueryParams

    views = _views(generator)
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for path, path_item in result.get("paths", {}).items():
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
    return result
