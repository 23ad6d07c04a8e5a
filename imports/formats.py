"""Reading a document into ClaimReview records, whatever its format, without holding it whole.

Detected from the first bytes (or said by the caller): HTML pages (JSON-LD, microdata and RDFa
through extruct, relative URLs resolved against the page's address), and JSON in any of its
forms: a ClaimReview object or a list of them, JSON-LD with `@graph` and `@id` references, a
schema.org DataFeed (Data Commons) or its items, Google Fact Check Tools `claims:search`
responses (a page, a list of pages, or bare `Claim` objects), and JSON Lines of any of these.

JSON is read with ijson as a stream of events: the big arrays of a top-level object
(`dataFeedElement`, `claims`, `data`, `itemListElement`) are handed out one element at a time,
so memory stays flat however long the feed is; everything else is small and built whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import extruct
import ijson

from imports.normalise import get, many, one, type_names

MAX_HTML_BYTES = 20 * 1024 * 1024
STREAMED_KEYS = frozenset({"dataFeedElement", "claims", "data", "itemListElement", "items"})
STARTS = frozenset({"start_map", "start_array"})
ENDS = frozenset({"end_map", "end_array"})
MAX_REFERENCE_DEPTH = 8

NOT_JSON_OR_HTML = "The document is neither JSON nor HTML (it starts with {start!r})."
INVALID_JSON = "Invalid JSON after {offset} bytes: {error}"
HTML_TOO_LARGE = f"HTML pages are read whole: at most {MAX_HTML_BYTES // (1024 * 1024)} MB."
NO_CLAIMREVIEW_IN_ITEM = "no ClaimReview in this item."
CLAIMSKG_REFUSED = (
    "a ClaimsKG (GESIS) record is not schema.org ClaimReview: export it from ClaimsKG as "
    "ClaimReview JSON-LD, or import the publisher's page."
)


class DocumentError(Exception):
    """The document as a whole cannot be read (not JSON or HTML, invalid JSON, too large)."""


@dataclass
class Candidate:
    """One record found in the document: a ClaimReview node, a Fact Check Tools review with
    its claim, or something recognised but refused (`refusal`). `where` says where it was."""

    where: str
    kind: str  # "claimreview" | "google" | "refused"
    node: dict[str, Any] = field(default_factory=dict)
    claim: dict[str, Any] = field(default_factory=dict)
    base: str = ""
    fallback_date: Any = None
    refusal: str = ""


class CountingReader:
    """A binary stream that counts what was read (progress bars, error positions, limits)."""

    def __init__(self, stream: Any, *, limit: int | None = None) -> None:
        self.stream = stream
        self.count = 0
        self.limit = limit
        self.on_read: Any = None

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.count += len(data)
        if self.limit is not None and self.count > self.limit:
            raise TooLarge(self.limit)
        if self.on_read is not None:
            self.on_read(len(data))
        return data


class TooLarge(DocumentError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"The document is larger than the limit of {limit} bytes.")
        self.limit = limit


# --- detection --------------------------------------------------------------------------------


def sniff(head: bytes) -> str:
    """ "html" or "json" from the first bytes of a document."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return "html"
    if text[:1] in (b"{", b"["):
        return "json"
    raise DocumentError(NOT_JSON_OR_HTML.format(start=text[:20].decode("utf-8", "replace")))


# --- JSON -------------------------------------------------------------------------------------


def _build(event: str, value: Any, events: Iterator[tuple[str, str, Any]]) -> Any:
    if event not in STARTS:
        return value
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth = 1
    while depth:
        _, event, value = next(events)
        builder.event(event, value)
        if event in STARTS:
            depth += 1
        elif event in ENDS:
            depth -= 1
    return builder.value


def json_values(stream: CountingReader) -> Iterator[tuple[str, Any]]:
    """(where, value) for each top-level JSON value (JSON Lines: several), with the elements of
    a top-level array, and of a top-level object's STREAMED_KEYS arrays, one at a time. The rest
    of a top-level object comes last, as one value."""
    events = iter(ijson.parse(stream, multiple_values=True, use_float=True))
    n = 0
    try:
        for _prefix, event, value in events:
            n += 1
            where = f"document {n}" if n > 1 else ""
            if event == "start_array":
                for i, (_, element_event, element_value) in enumerate(events):
                    if element_event == "end_array":
                        break
                    yield f"{where}[{i}]", _build(element_event, element_value, events)
            elif event == "start_map":
                head: dict[str, Any] = {}
                for _, key_event, key in events:
                    if key_event == "end_map":
                        break
                    _, value_event, first = next(events)
                    if key in STREAMED_KEYS and value_event == "start_array":
                        for i, (_, element_event, element_value) in enumerate(events):
                            if element_event == "end_array":
                                break
                            element = _build(element_event, element_value, events)
                            yield f"{where}{key}[{i}]", _Streamed(key, element, head)
                    else:
                        head[key] = _build(value_event, first, events)
                yield where, head
            else:
                yield where, value
    except ijson.JSONError as error:
        raise DocumentError(INVALID_JSON.format(offset=stream.count, error=error)) from None
    except StopIteration:
        raise DocumentError(
            INVALID_JSON.format(offset=stream.count, error="the document ends too early")
        ) from None


@dataclass
class _Streamed:
    """An element of a big array of a top-level object, and what of the object came before."""

    key: str
    element: Any
    head: dict[str, Any]


def json_candidates(stream: CountingReader, *, base: str = "") -> Iterator[Candidate]:
    for where, value in json_values(stream):
        if isinstance(value, _Streamed):
            fallback = None
            yield from candidates_in(
                value.element, where=where, base=base, fallback_date=fallback, in_feed=True
            )
        else:
            yield from candidates_in(value, where=where or "document", base=base)


# --- finding ClaimReviews in a JSON value -----------------------------------------------------


def resolve_references(nodes: list[Any]) -> None:
    """Replace `{"@id": x}` references by the node with `"@id": x` (JSON-LD `@graph`, or several
    ld+json blocks on one page), in place, to a bounded depth (cycles stay references)."""
    by_id: dict[str, Any] = {}
    for node in nodes:
        if isinstance(node, dict) and isinstance(node.get("@id"), str) and len(node) > 1:
            by_id.setdefault(node["@id"], node)
    if not by_id:
        return

    def resolve(value: Any, depth: int) -> Any:
        if depth > MAX_REFERENCE_DEPTH:
            return value
        if isinstance(value, dict):
            if set(value) == {"@id"} and value["@id"] in by_id:
                return by_id[value["@id"]]
            for key, inner in value.items():
                value[key] = resolve(inner, depth + 1)
        elif isinstance(value, list):
            return [resolve(inner, depth + 1) for inner in value]
        return value

    for node in nodes:
        if isinstance(node, dict):
            for key, inner in node.items():
                node[key] = resolve(inner, 1)


def _is_google_claim(value: dict[str, Any]) -> bool:
    return isinstance(value.get("claimReview"), list) and ("text" in value or "claimant" in value)


def _is_claimskg(value: dict[str, Any]) -> bool:
    content = value.get("content")
    if not isinstance(content, dict):
        return False
    ident = content.get("id")
    return isinstance(ident, dict) and "claimskg" in str(ident.get("value", ""))


def candidates_in(
    value: Any,
    *,
    where: str,
    base: str = "",
    fallback_date: Any = None,
    in_feed: bool = False,
    depth: int = 0,
) -> Iterator[Candidate]:
    """Every ClaimReview record in a JSON value, each once. `null` items are skipped; an
    element of a feed that holds no ClaimReview is a refused record (so it is not lost)."""
    if value is None or depth > 20:
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from candidates_in(
                item, where=f"{where}[{i}]", base=base, fallback_date=fallback_date, depth=depth + 1
            )
        return
    if not isinstance(value, dict):
        if in_feed:
            yield Candidate(where=where, kind="refused", refusal=NO_CLAIMREVIEW_IN_ITEM)
        return
    types = type_names(value)
    if "claimreview" in types:
        yield Candidate(
            where=where, kind="claimreview", node=value, base=base, fallback_date=fallback_date
        )
        return
    if _is_google_claim(value):
        for i, review in enumerate(value["claimReview"]):
            if isinstance(review, dict):
                yield Candidate(
                    where=f"{where}.claimReview[{i}]", kind="google", node=review, claim=value
                )
        return
    if _is_claimskg(value):
        yield Candidate(where=where, kind="refused", refusal=CLAIMSKG_REFUSED)
        return
    if "@graph" in value:
        graph = many(value["@graph"])
        resolve_references(graph)
        for i, node in enumerate(graph):
            yield from candidates_in(node, where=f"{where}@graph[{i}]", base=base, depth=depth + 1)
        return
    if "datafeeditem" in types:
        found = False
        for candidate in candidates_in(
            get(value, "item"),
            where=f"{where}.item",
            base=base,
            fallback_date=one(get(value, "dateCreated")),
            depth=depth + 1,
        ):
            found = True
            yield candidate
        if not found:
            yield Candidate(where=where, kind="refused", refusal=NO_CLAIMREVIEW_IN_ITEM)
        return
    # Anything else (a DataFeed, a claims:search page, an ItemList, a WebPage whose mainEntity
    # is the review): look inside.
    found = False
    for key, inner in value.items():
        if isinstance(inner, dict | list):
            for candidate in candidates_in(
                inner,
                where=f"{where}.{key}",
                base=base,
                fallback_date=fallback_date,
                depth=depth + 1,
            ):
                found = True
                yield candidate
    if in_feed and not found:
        yield Candidate(where=where, kind="refused", refusal=NO_CLAIMREVIEW_IN_ITEM)


# --- HTML -------------------------------------------------------------------------------------

_CANONICAL = re.compile(
    r"<link[^>]+rel=[\"']canonical[\"'][^>]*href=[\"']([^\"']+)[\"']|"
    r"<meta[^>]+property=[\"']og:url[\"'][^>]*content=[\"']([^\"']+)[\"']",
    re.IGNORECASE,
)
ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "webpage", "reportagenewsarticle"}


def page_address(page: str) -> str:
    """The page's own address when the caller did not give one: its canonical link or og:url."""
    match = _CANONICAL.search(page[:500_000])
    return (match.group(1) or match.group(2)).strip() if match else ""


def html_candidates(page: str, *, base: str = "") -> Iterator[Candidate]:
    """The ClaimReviews of an HTML page: JSON-LD first, then microdata and RDFa ones whose URL
    the JSON-LD did not already give (pages often carry the same review twice)."""
    base = base or page_address(page)
    data = extruct.extract(
        page,
        base_url=base or None,
        syntaxes=["json-ld", "microdata", "rdfa"],
        uniform=True,
        errors="ignore",
    )
    blocks = data.get("json-ld", [])
    resolve_references(_flatten_graphs(blocks))
    fallback = _article_date(blocks)
    seen: set[str] = set()
    for syntax in ("json-ld", "microdata", "rdfa"):
        for candidate in candidates_in(
            data.get(syntax, []), where=syntax, base=base, fallback_date=fallback
        ):
            url = str(one(get(candidate.node, "url")) or "")
            if syntax != "json-ld" and url and url in seen:
                continue
            seen.add(url)
            yield candidate


def _flatten_graphs(blocks: list[Any]) -> list[Any]:
    nodes: list[Any] = []
    for block in blocks:
        if isinstance(block, dict) and "@graph" in block:
            nodes.extend(many(block["@graph"]))
        else:
            nodes.append(block)
    return nodes


def _article_date(blocks: list[Any]) -> Any:
    """The page's article's datePublished: the review's date when its markup has none."""
    for node in _flatten_graphs(blocks):
        if type_names(node) & ARTICLE_TYPES and one(get(node, "datePublished")):
            return one(get(node, "datePublished"))
    return None


def read_html(stream: CountingReader) -> str:
    data = stream.read(MAX_HTML_BYTES + 1)
    if len(data) > MAX_HTML_BYTES:
        raise DocumentError(HTML_TOO_LARGE)
    return data.decode("utf-8", errors="replace")
