"""Normalisation: one small rule per oddity of real ClaimReview markup.

Each function takes a value as publishers write it and returns it as we store it, or raises
`Refusal` naming the field and what is wrong. The catalogue they answer (with a real sample for
each in tests/imports/test_normalise.py) is ../shared/vendor-data/claimreview/SOURCES.md:
arrays where one value is expected, numbers as strings, empty ratings, odd dates and offsets
("+5:30", "+0200", "2020-06-23 20:02"), relative and scheme-less URLs, HTML entities and tags in
text, `@type` in the wrong case or prefixed, RDFa's `{"@value": ...}`.
"""

from __future__ import annotations

import datetime
import html
import re
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import py3langid

from claims.models import language_validator

SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/", "schema:")

# Query parameters that identify a campaign, a click or a placement, never the review.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "amp",
    }
)
TRACKING_PREFIXES = ("utm_", "itm_", "pk_", "mtm_")
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_URL_LENGTH = 2000


class Refusal(Exception):
    """A record cannot be imported: `field` (a ClaimReview property path) and why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# --- shapes -----------------------------------------------------------------------------------


def unwrap(value: Any) -> Any:
    """RDFa and expanded JSON-LD write a literal as {"@value": ...} (or a list of those)."""
    while isinstance(value, dict) and "@value" in value:
        value = value["@value"]
    return value


def one(value: Any) -> Any:
    """Arrays where one value is expected (`"claimReviewed": ["..."]`, `"author": [{...}]`): the
    first element that is not empty."""
    value = unwrap(value)
    if isinstance(value, list):
        for item in value:
            item = unwrap(item)
            if item not in (None, "", [], {}):
                return item
        return None
    return value


def many(value: Any) -> list[Any]:
    """A property that may hold one value or a list: always a list, empties dropped."""
    value = unwrap(value)
    items = value if isinstance(value, list) else [value]
    return [unwrap(v) for v in items if unwrap(v) not in (None, "", [], {})]


def type_names(node: Any) -> set[str]:
    """`@type` (or microdata's `type`) in any case, prefixed or not, one or a list:
    {"claimreview"} for "ClaimReview", "claimReview", "schema:ClaimReview", ["Review",
    "ClaimReview"], "http://schema.org/ClaimReview"."""
    if not isinstance(node, dict):
        return set()
    names = set()
    for raw in many(node.get("@type", node.get("type"))):
        if isinstance(raw, str):
            name = raw.strip()
            for prefix in SCHEMA_PREFIXES:
                if name.lower().startswith(prefix):
                    name = name[len(prefix) :]
            names.add(name.lower())
    return names


def get(node: Any, name: str) -> Any:
    """A property of a node, under its plain name or a schema.org IRI (RDFa's uniform output)."""
    if not isinstance(node, dict):
        return None
    if name in node:
        return node[name]
    for prefix in SCHEMA_PREFIXES:
        if prefix + name in node:
            return node[prefix + name]
    return None


# --- text -------------------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]{0,2000}>")
_BREAK = re.compile(r"<\s*(br|/p|/div|/li)\s*/?\s*>", re.IGNORECASE)
# C0 controls except tab and newline (and NUL, which PostgreSQL refuses), and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain_text(value: Any, *, multiline: bool = False) -> str:
    """Text as shown: HTML entities decoded (`&#039;`, `&ndash;`, `&amp;amp;`), tags dropped
    (Newtral's subtitles are HTML), control characters removed, whitespace collapsed (kept as
    paragraph breaks when `multiline`). Numbers become their text; anything else is ''."""
    value = one(value)
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        return ""
    text = value
    for _ in range(2):  # double-escaped entities ("&amp;#039;") are common
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    if "<" in text and ">" in text:
        text = _BREAK.sub("\n", text)
        text = _TAG.sub("", text)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if multiline:
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text)]
        return "\n\n".join(p for p in paragraphs if p)
    return " ".join(text.split())


def truncate(text: str, length: int) -> str:
    """At most `length` characters, cut at a word with an ellipsis."""
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0] or text[: length - 1]
    return cut.rstrip() + "…"


# --- numbers ----------------------------------------------------------------------------------


def number(value: Any) -> float | None:
    """Numbers as strings ("1", " 4,5 ", "-1"), empty strings, booleans: a float or None."""
    value = one(value)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            result = float(text)
        except ValueError:
            return None
        if result != result or result in (float("inf"), float("-inf")):
            return None
        return result
    return None


# --- dates ------------------------------------------------------------------------------------

_OFFSET = re.compile(r"([+-])(\d{1,2}):?(\d{2})$")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def aware_datetime(value: Any, field: str) -> datetime.datetime | None:
    """A date or date-time with any offset, as an aware datetime (UTC when none is given).

    Accepts "2022-05-11", "2020-06-23 20:02", "2023-01-24T13:32:06.838Z", "+0200", and the
    one-digit hours of "2020-06-22T12:26:08+5:30". None when empty; Refusal when unreadable.
    """
    value = one(value)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise Refusal(field, f"{str(value)[:50]!r} is not a date.")
    text = value.strip()
    if _DATE_ONLY.match(text):
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            raise Refusal(field, f"{text[:50]!r} is not a date.") from None
        return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
    text = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    match = _OFFSET.search(text)
    if match and "T" in text and match.start() > text.index("T") + 2:
        sign, hours, minutes = match.groups()
        text = text[: match.start()] + f"{sign}{int(hours):02d}:{minutes}"
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise Refusal(field, f"{value.strip()[:50]!r} is not an ISO 8601 date.") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def local_date(value: Any, field: str) -> datetime.date | None:
    """The calendar date of a date-time, in its own offset ("2020-03-18T00:30+0200" is the
    18th), or None."""
    moment = aware_datetime(value, field)
    return moment.date() if moment else None


# --- URLs -------------------------------------------------------------------------------------

_HOSTLIKE = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:/|$)", re.IGNORECASE)


def absolute_url(value: Any, field: str, *, base: str = "", required: bool = True) -> str:
    """An absolute http(s) URL from what the markup says: relative URLs resolved against the
    page's address (`base`), scheme-less ones ("aosfatos.org/noticias/...") given https,
    surrounding spaces dropped. Refusal for other schemes (javascript:, data:), when a relative
    URL has no base, or when longer than MAX_URL_LENGTH; '' when empty and not `required`."""
    value = one(value)
    if isinstance(value, dict):  # {"@id": ...} or a CreativeWork with a url
        value = value.get("@id") or value.get("url")
    text = plain_text(value) if isinstance(value, str) else ""
    text = text.strip().replace(" ", "%20")
    if not text:
        if required:
            raise Refusal(field, "is missing.")
        return ""
    scheme = urlsplit(text).scheme.lower()
    if scheme and scheme not in DEFAULT_PORTS and not _HOSTLIKE.match(text):
        raise Refusal(field, f"{scheme}: URLs are not allowed; give an http(s) URL.")
    if scheme not in DEFAULT_PORTS:
        if text.startswith("//"):
            text = "https:" + text
        elif _HOSTLIKE.match(text):
            text = "https://" + text
        elif base:
            text = urljoin(base, text)
        else:
            raise Refusal(
                field, f"{text[:100]!r} is relative and the page's address is unknown (give ?url=)."
            )
    parts = urlsplit(text)
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        raise Refusal(field, f"{text[:100]!r} is not an http(s) URL.")
    text = _encoded(text)
    if len(text) > MAX_URL_LENGTH:
        raise Refusal(field, f"is longer than {MAX_URL_LENGTH} characters.")
    return text


def optional_url(value: Any, *, base: str = "") -> str:
    """A secondary URL (appearance, image, sameAs): as absolute_url, but '' instead of a
    refusal: a bad one is dropped, the record is kept."""
    try:
        return absolute_url(value, "url", base=base, required=False)
    except Refusal:
        return ""


_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def _encoded(url: str) -> str:
    """Non-ASCII and unsafe characters percent-encoded, existing escapes kept (upper-case)."""
    parts = urlsplit(url)
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    netloc = parts.netloc
    try:
        netloc.encode("ascii")
    except UnicodeEncodeError:
        host = (parts.hostname or "").encode("idna").decode("ascii")
        netloc = host + (f":{parts.port}" if parts.port else "")
    url = urlunsplit((parts.scheme, netloc, path, query, parts.fragment))
    return _ESCAPE.sub(lambda m: m.group(0).upper(), url)


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name.startswith(TRACKING_PREFIXES) or name in TRACKING_PARAMETERS


def canonical_url(url: str) -> str:
    """The review's identity, the key a re-import finds it by: https, lower-case host without
    "www." and default port, no fragment, no tracking parameters (utm_*, itm_*, fbclid...), the
    rest of the query sorted, percent-escapes in upper case, no trailing slash (except the
    root)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = urlencode(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not is_tracking_parameter(k)
        ),
        quote_via=quote,
        safe="%:@!$'()*,;/-._~",
    )
    return _ESCAPE.sub(lambda m: m.group(0).upper(), urlunsplit(("https", netloc, path, query, "")))


def site_of(url: str) -> str:
    """A publisher's site as Google names it: the host, lower case, without "www."."""
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def bare_site(value: Any) -> str:
    """Google's `publisher.site` ("vishvasnews.com", sometimes "https://www.x.org/"): the host."""
    text = plain_text(value).strip().lower()
    if not text:
        return ""
    if "//" not in text:
        text = "https://" + text
    return site_of(text)


# --- language ---------------------------------------------------------------------------------


def language_tag(value: Any) -> str:
    """A BCP 47 tag from `inLanguage` (a string, or a Language node with a name/alternateName)
    in the conventional case ("pt-br" -> "pt-BR", "zh-hant" -> "zh-Hant"); '' if not one."""
    value = one(value)
    if isinstance(value, dict):
        value = one(value.get("alternateName")) or one(value.get("name"))
    text = plain_text(value).replace("_", "-").strip()
    if not text:
        return ""
    try:
        language_validator(text)
    except Exception:
        return ""
    head, *rest = text.split("-")
    parts = [head.lower()]
    for part in rest:
        if len(part) == 2:
            parts.append(part.upper())
        elif len(part) == 4:
            parts.append(part.title())
        else:
            parts.append(part.lower())
    return "-".join(parts)[:35]


# The languages fact-checkers publish in (IFCN signatories); detection chooses among these, so a
# short English claim is not taken for Latin.
_LANGUAGE_CODES = (
    "en es pt fr de it nl hi bn ta te ml mr gu pa ur ar fa tr ru uk pl cs sk hu ro bg el sr hr "
    "sl sv no da fi id ms tl th vi zh ja ko sw am he ka az kk"
)
DETECTED_LANGUAGES = _LANGUAGE_CODES.split()
_identifier: Any = None


def detect_language(*texts: str) -> str:
    """The language of the text when the markup does not say (py3langid, offline)."""
    global _identifier
    text = " ".join(t for t in texts if t)[:2000]
    if not text.strip():
        return ""
    if _identifier is None:
        _identifier = py3langid.langid._load_identifier(langs=DETECTED_LANGUAGES)
    code, _score = _identifier.classify(text)
    return str(code)
