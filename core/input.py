"""Input at the parsing boundary of the API: what every request body and query string must be
before any serializer, filter or database sees it.

- Text: no NUL character (PostgreSQL refuses it in text columns, a 500 further in) and no lone
  UTF-16 surrogate (`"\\ud800"` in JSON: not a character at all; it cannot even be encoded to
  echo it back). Refused with a 400 naming the field, in keys and values, at any depth.
- JSON: nested at most MAX_JSON_DEPTH levels (Python's parser would recurse until it fails),
  a body at most settings.DATA_UPLOAD_MAX_MEMORY_SIZE bytes (JSON 413 beyond; see
  core.middleware.RequestLimitsMiddleware for the check on Content-Length).
- Names: a serializer based on StrictSerializer refuses a field it neither takes nor lists as
  output-only (`ignored_fields`); a view with KnownQueryParams refuses a query parameter it does
  not take, and an empty one, with 400 naming it.

The parsers and the renderer are the API's defaults (settings.REST_FRAMEWORK).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions, parsers, renderers, serializers, status
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.utils import json

MAX_JSON_DEPTH = 32

# Messages (tests assert on them).
NUL_NOT_ALLOWED = "{path}: null characters are not allowed."
SURROGATE_NOT_ALLOWED = "{path}: not valid Unicode text (a lone surrogate {code})."
TOO_DEEP = f"JSON nested more than {MAX_JSON_DEPTH} levels deep."
BODY_TOO_LARGE = "The request body is larger than {limit} bytes."
UNKNOWN_FIELD = "Unknown field: this endpoint does not take it."
UNKNOWN_PARAMETER = "Unknown parameter: this endpoint does not take it."
EMPTY_PARAMETER = "Empty value: give a value or leave the parameter out."
REPEATED_PARAMETER = "Given more than once: give it once."
WRONG_TYPE = "Expected a JSON {type}."
JSON_TYPE_NAMES = {str: "string", int: "integer", bool: "boolean", list: "array", dict: "object"}


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """The 413 for a body over `limit` bytes: JSON under /api/, a short text elsewhere."""
    message = BODY_TOO_LARGE.format(limit=limit)
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


def printable(text: str) -> str:
    """`text` with NUL and lone surrogates written as escapes, so it can be shown and encoded."""
    return "".join(
        f"\\u{ord(c):04x}" if c == "\x00" or "\ud800" <= c <= "\udfff" else c for c in text
    )


def text_problem(text: str) -> str | None:
    """What is wrong with `text` as a string to store (a message template), or None."""
    if "\x00" in text:
        return NUL_NOT_ALLOWED
    for c in text:
        if "\ud800" <= c <= "\udfff":
            return SURROGATE_NOT_ALLOWED.replace("{code}", f"\\u{ord(c):04x}")
    return None


def _key_path(parent: str, key: str) -> str:
    key = printable(key)
    return f"{parent}.{key}" if parent else key


def check_document(data: Any) -> None:
    """Raise ValidationError (400) for a NUL or lone surrogate anywhere in `data` (keys
    included), naming the top-level field and the path to the string; ParseError when it is
    nested more than MAX_JSON_DEPTH levels. Iterative: depth costs no recursion."""
    errors: dict[str, list[str]] = {}
    # (value, path, top-level field, depth)
    stack: list[tuple[Any, str, str, int]] = [(data, "", "", 0)]
    while stack:
        value, path, field, depth = stack.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                name = field or api_settings.NON_FIELD_ERRORS_KEY
                errors.setdefault(name, []).append(problem.format(path=path or name))
            continue
        if not isinstance(value, dict | list):
            continue
        if depth >= MAX_JSON_DEPTH:
            raise exceptions.ParseError(TOO_DEEP)
        if isinstance(value, dict):
            for key, item in value.items():
                key_path = _key_path(path, key)
                top = field or printable(key)
                problem = text_problem(key)
                if problem:
                    errors.setdefault(top, []).append(problem.format(path=key_path))
                stack.append((item, key_path, top, depth + 1))
        else:
            for index, item in enumerate(value):
                stack.append((item, f"{path}[{index}]", field, depth + 1))
    if errors:
        raise exceptions.ValidationError({k: sorted(v) for k, v in sorted(errors.items())})


def check_query(params: Any) -> None:
    """check_document for a QueryDict (query string or form body): every value of every key."""
    check_document({key: params.getlist(key) for key in params})


def _body_limit() -> int | None:
    limit: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with the body size and depth bounded and the text checked."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        encoding = parsers.get_encoding(parser_context)  # type: ignore[attr-defined]
        limit = _body_limit()
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise PayloadTooLarge(BODY_TOO_LARGE.format(limit=limit))
        try:
            text = codecs.decode(raw, encoding)
            parse_constant = json.strict_constant if self.strict else None
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError:
            raise exceptions.ParseError(TOO_DEEP) from None
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {printable(str(exc))}") from None
        check_document(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        check_query(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        result = super().parse(stream, media_type, parser_context)
        check_query(result.data)
        return result


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, unchanged for every encodable document; a document holding a lone
    surrogate (which UTF-8 cannot encode) is written with ASCII escapes instead of failing."""

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return _AsciiJSONRenderer().render(data, accepted_media_type, renderer_context)


class _AsciiJSONRenderer(renderers.JSONRenderer):
    ensure_ascii = True


def _json_type(field: serializers.Field[Any, Any, Any, Any]) -> tuple[type, ...] | None:
    """The JSON types (as Python types) `field` takes, or None to leave it to the field."""
    if isinstance(field, serializers.ListSerializer | serializers.ManyRelatedField):
        return (list,)
    if isinstance(field, serializers.ListField):
        return (list,)
    if isinstance(field, serializers.BooleanField):
        return (bool,)
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return (int,)
    if isinstance(
        field,
        serializers.CharField
        | serializers.ChoiceField
        | serializers.SlugRelatedField
        | serializers.DateField
        | serializers.DateTimeField,
    ):
        return (str,)
    return None


class StrictSerializer(serializers.Serializer[Any]):
    """An input serializer that refuses fields it does not take (400, each named), and values
    of another JSON type than the field's (DRF would take 0 for "0" and "5" for 5).

    `ignored_fields` are the output-only fields of the resource (id, status, dates...): a
    client that sends back what it read is not refused for them; they change nothing."""

    ignored_fields: ClassVar[tuple[str, ...]] = ()

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            known = set(self.fields) | set(self.ignored_fields)
            unknown = sorted(str(name) for name in data if name not in known)
            if unknown:
                raise serializers.ValidationError({name: [UNKNOWN_FIELD] for name in unknown})
            wrong = {}
            for name, field in self.fields.items():
                value = data.get(name)
                expected = _json_type(field)
                if field.read_only or value is None or expected is None:
                    continue
                if not isinstance(value, expected) or (
                    isinstance(value, bool) and bool not in expected
                ):
                    wrong[name] = [WRONG_TYPE.format(type=JSON_TYPE_NAMES[expected[0]])]
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)


def query_param_errors(request: Request, allowed: Iterable[str]) -> dict[str, list[str]]:
    """Unknown, empty and repeated query parameters of `request`, as field errors."""
    allowed = set(allowed)
    errors: dict[str, list[str]] = {}
    params = request.query_params
    for name in params:
        values = params.getlist(name)
        if name not in allowed:
            errors[printable(name)] = [UNKNOWN_PARAMETER]
        elif len(values) > 1:
            errors[name] = [REPEATED_PARAMETER]
        elif values[0] == "":
            errors[name] = [EMPTY_PARAMETER]
    return errors


class KnownQueryParams:
    """A DRF view mixin: a query parameter the view does not take, or an empty or repeated
    one, is a 400 naming it; the values themselves are the filters' and paginator's to check.
    Checked after authentication, permissions and throttling, so it reveals nothing to whoever
    may not call the view. `format` is always taken (DRF's format override); a list also takes
    its filter set's filters and its pagination's parameters."""

    extra_query_params: ClassVar[tuple[str, ...]] = ()

    def allowed_query_params(self) -> set[str]:
        allowed = {"format", *self.extra_query_params}
        if getattr(self, "action", None) in ("list", None):
            filterset = getattr(self, "filterset_class", None)
            if filterset is not None:
                allowed |= set(filterset.base_filters)
            paginator = getattr(self, "paginator", None)
            for attribute in (
                "page_query_param",
                "page_size_query_param",
                "cursor_query_param",
                "ordering_query_param",
            ):
                name = getattr(paginator, attribute, None)
                if name:
                    allowed.add(name)
        return allowed

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        errors = query_param_errors(request, self.allowed_query_params())
        if errors:
            raise exceptions.ValidationError(errors)
