"""The schema.org vocabulary (release 30.0) and a checker for JSON-LD written against it.

`check_vocabulary(data)` walks a JSON-LD document in the compact form we publish (terms of the
`https://schema.org` context) and reports, with the path of each value:

- an `@type` or property that does not exist in the release (pending terms are part of it);
- a property used on a type outside its `domainIncludes` (the type or one of its supertypes
  must be listed);
- a value outside the property's `rangeIncludes`: an object whose type is not (a subtype of)
  a listed type, or a literal that no listed data type accepts (`URL` wants an absolute http(s)
  URL, `Date`/`DateTime` ISO 8601, `Number`/`Integer` a number, `Boolean` true or false);
- an object without an `@type`;
- a superseded term (a warning: it still works, but has a replacement).

The vocabulary comes from schemaorg-vocabulary.json beside this module, an extract of the
release written by scripts/schemaorg_extract.py, so this runs without the vendor data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

VOCABULARY_FILE = Path(__file__).with_name("schemaorg-vocabulary.json")

SCHEMA_CONTEXTS = {
    "https://schema.org",
    "https://schema.org/",
    "http://schema.org",
    "http://schema.org/",
}
# Ways a term may be written besides its bare name.
_TERM_PREFIXES = ("https://schema.org/", "http://schema.org/", "schema:")
# JSON-LD keywords, and the aliases the schema.org context defines for two of them.
_ID_KEYS = {"@id", "id"}
_TYPE_KEYS = {"@type", "type"}
MAX_DEPTH = 32

Level = Literal["error", "warning"]

NOT_SCHEMA_CONTEXT = (
    '@context is {context!r}: set it to "https://schema.org" so consumers read the terms as '
    "schema.org."
)
UNKNOWN_TYPE = (
    "{path}: {type} is not a schema.org {release} type: use a type from "
    "https://schema.org/docs/full.html (names are case-sensitive)."
)
UNKNOWN_PROPERTY = (
    "{path}: {property} is not a schema.org {release} property: remove it or use the schema.org "
    "property for it (names are case-sensitive)."
)
NOT_IN_DOMAIN = (
    "{path}: {property} does not apply to {types} in schema.org (it applies to {domain}): remove "
    "it or move it to an object of one of those types."
)
NOT_IN_RANGE = (
    "{path}: {found} is not a valid value of {property}, which expects {range}: give a value of "
    "one of those types."
)
MISSING_TYPE = "{path}: the object has no @type: add one ({expected})."
NOT_A_URL = "{path}: {value!r} is not an absolute URL: write it in full, starting with https://."
NOT_A_DATE = "{path}: {value!r} is not an ISO 8601 {expected}: write it as {example}."
SUPERSEDED = "{path}: {term} is superseded in schema.org by {replacement}: use {replacement}."
NULL_VALUE = "{path}: the value is null: leave {property} out instead."
TOO_DEEP = "{path}: nested more than {limit} levels deep: flatten the document."

_DATE = r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_TIME = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?"
DATE_RE = re.compile(rf"^{_DATE}$")
DATETIME_RE = re.compile(rf"^{_DATE}T{_TIME}$")
TIME_RE = re.compile(rf"^{_TIME}$")
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
INTEGER_RE = re.compile(r"^[+-]?\d+$")
DATE_EXAMPLES = {
    "Date": ("date", "2017-01-10"),
    "DateTime": ("date-time", "2017-01-10T15:30:00+00:00"),
    "Time": ("time", "15:30:00+00:00"),
}


@dataclass(frozen=True)
class Finding:
    """One problem: `path` locates the value (`itemReviewed.appearance[0].url`), `text` says
    what is wrong and how to fix it."""

    level: Level
    path: str
    text: str


@dataclass(frozen=True)
class Property:
    domain: frozenset[str]
    range: frozenset[str]


class Vocabulary:
    """Types with their supertypes, properties with domain and range, data types, superseded
    terms: what the extract holds, with the type hierarchy closed over."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.release: str = data["release"]
        self.parents: dict[str, tuple[str, ...]] = {
            name: tuple(parents) for name, parents in data["types"].items()
        }
        self.properties: dict[str, Property] = {
            name: Property(frozenset(domain), frozenset(range_))
            for name, (domain, range_) in data["properties"].items()
        }
        self.datatypes: frozenset[str] = frozenset(data["datatypes"])
        self.superseded: dict[str, str] = dict(data["superseded"])
        self._ancestors: dict[str, frozenset[str]] = {}

    def is_type(self, name: str) -> bool:
        return name in self.parents

    def ancestors(self, name: str) -> frozenset[str]:
        """`name` and every type it is a subclass of, directly or not."""
        if name not in self._ancestors:
            seen: set[str] = set()
            stack = [name]
            while stack:
                current = stack.pop()
                if current in seen:
                    continue
                seen.add(current)
                stack.extend(self.parents.get(current, ()))
            self._ancestors[name] = frozenset(seen)
        return self._ancestors[name]

    def is_enumeration(self, name: str) -> bool:
        return "Enumeration" in self.ancestors(name)


@cache
def vocabulary() -> Vocabulary:
    return Vocabulary(json.loads(VOCABULARY_FILE.read_text(encoding="utf-8")))


def term_name(term: str) -> str | None:
    """The schema.org local name of `term` ("name", "schema:name", "http://schema.org/name"),
    or None for a term of another vocabulary."""
    for prefix in _TERM_PREFIXES:
        if term.startswith(prefix):
            return term[len(prefix) :]
    if ":" in term or "/" in term:
        return None
    return term


def _or(names: Iterable[str]) -> str:
    items = sorted(names)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, dict):
        types = _node_types(value)
        return f"a {_or(types)} object" if types else "an object"
    return "a value"


def _node_types(node: dict[str, Any]) -> list[str]:
    for key in _TYPE_KEYS:
        if key in node:
            raw = node[key]
            return [t for t in (raw if isinstance(raw, list) else [raw]) if isinstance(t, str)]
    return []


def _is_absolute_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and " " not in value


class _Checker:
    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.findings: list[Finding] = []

    def add(self, level: Level, path: str, text: str) -> None:
        self.findings.append(Finding(level, path, text))

    # --- nodes ----------------------------------------------------------------------------

    def node(self, node: dict[str, Any], path: str, depth: int) -> frozenset[str]:
        """Check one object's types and properties; return the known types (with supertypes)."""
        if depth > MAX_DEPTH:
            self.add("error", path, TOO_DEEP.format(path=path or "(document)", limit=MAX_DEPTH))
            return frozenset()
        known: set[str] = set()
        type_path = f"{path}.@type" if path else "@type"
        for raw in _node_types(node):
            name = term_name(raw)
            if name is None or not self.vocab.is_type(name):
                self.add(
                    "error",
                    type_path,
                    UNKNOWN_TYPE.format(path=type_path, type=raw, release=self.vocab.release),
                )
                continue
            if name in self.vocab.superseded:
                self.add(
                    "warning",
                    type_path,
                    SUPERSEDED.format(
                        path=type_path, term=name, replacement=self.vocab.superseded[name]
                    ),
                )
            known.add(name)
        ancestors = frozenset().union(*(self.vocab.ancestors(t) for t in known))
        for key, value in node.items():
            if key.startswith("@") or key in _ID_KEYS or key in _TYPE_KEYS:
                continue
            self.property(key, value, ancestors, known, f"{path}.{key}" if path else key, depth)
        return ancestors

    def property(
        self,
        key: str,
        value: Any,
        ancestors: frozenset[str],
        types: set[str],
        path: str,
        depth: int,
    ) -> None:
        name = term_name(key)
        prop = self.vocab.properties.get(name) if name else None
        if name is None or prop is None:
            self.add(
                "error",
                path,
                UNKNOWN_PROPERTY.format(path=path, property=key, release=self.vocab.release),
            )
            return
        if name in self.vocab.superseded:
            self.add(
                "warning",
                path,
                SUPERSEDED.format(path=path, term=name, replacement=self.vocab.superseded[name]),
            )
        if types and prop.domain and not prop.domain & ancestors:
            self.add(
                "error",
                path,
                NOT_IN_DOMAIN.format(
                    path=path, property=name, types=_or(types), domain=_or(prop.domain)
                ),
            )
        values = value if isinstance(value, list) else [value]
        for i, item in enumerate(values):
            item_path = f"{path}[{i}]" if isinstance(value, list) else path
            self.value(name, prop, item, item_path, depth)

    # --- values ---------------------------------------------------------------------------

    def value(self, name: str, prop: Property, value: Any, path: str, depth: int) -> None:
        if value is None:
            self.add("warning", path, NULL_VALUE.format(path=path, property=name))
            return
        if isinstance(value, list):  # a list inside a list: check the members
            for i, item in enumerate(value):
                self.value(name, prop, item, f"{path}[{i}]", depth)
            return
        if isinstance(value, dict):
            if "@value" in value:  # a JSON-LD value object: a literal with a language or type
                self.literal(name, prop, value["@value"], path)
                return
            self.object(name, prop, value, path, depth)
            return
        self.literal(name, prop, value, path)

    def object(
        self, name: str, prop: Property, value: dict[str, Any], path: str, depth: int
    ) -> None:
        entity_range = {r for r in prop.range if r not in self.vocab.datatypes}
        keys = set(value)
        if keys and keys <= _ID_KEYS | {"@context"}:
            # A reference to a node described elsewhere: fine wherever an object may go.
            if not entity_range and "URL" not in prop.range:
                self.not_in_range(name, prop, value, path)
            return
        if not _node_types(value):
            self.add(
                "error",
                path,
                MISSING_TYPE.format(path=path, expected=_or(entity_range or prop.range)),
            )
            self.node(value, path, depth + 1)
            return
        ancestors = self.node(value, path, depth + 1)
        if ancestors and prop.range and not ancestors & prop.range:
            self.not_in_range(name, prop, value, path)

    def literal(self, name: str, prop: Property, value: Any, path: str) -> None:
        ranges = prop.range
        if not ranges:
            return
        if isinstance(value, bool):
            if "Boolean" not in ranges:
                self.not_in_range(name, prop, value, path)
            return
        if isinstance(value, int | float):
            if "Integer" in ranges and (isinstance(value, int) or float(value).is_integer()):
                return
            if ranges & {"Number", "Float", "Quantity", "Distance", "Duration", "Energy", "Mass"}:
                return
            self.not_in_range(name, prop, value, path)
            return
        if not isinstance(value, str):
            self.not_in_range(name, prop, value, path)
            return
        self.text(name, prop, value, path)

    def text(self, name: str, prop: Property, value: str, path: str) -> None:
        ranges = prop.range
        vocab = self.vocab
        # Any text is fine where Text (or a kind of text with no format to check) is expected,
        # and where an enumeration is (its members are written as text or URLs).
        free_text = {"Text", "CssSelectorType", "XPathType", "PronounceableText", "Quantity"}
        free_text |= {"Distance", "Duration", "Energy", "Mass"}
        if ranges & free_text or any(vocab.is_enumeration(r) for r in ranges):
            return
        if "URL" in ranges and _is_absolute_url(value):
            return
        if "Date" in ranges and DATE_RE.match(value):
            return
        if "DateTime" in ranges and DATETIME_RE.match(value):
            return
        if "Time" in ranges and TIME_RE.match(value):
            return
        if "Integer" in ranges and INTEGER_RE.match(value.strip()):
            return
        if ranges & {"Number", "Float"} and NUMBER_RE.match(value.strip()):
            return
        if "Boolean" in ranges and value in {
            "https://schema.org/True",
            "https://schema.org/False",
            "http://schema.org/True",
            "http://schema.org/False",
        }:
            return
        # Say what is wrong with the text in the terms of the expected literal type.
        if "URL" in ranges:
            self.add("error", path, NOT_A_URL.format(path=path, value=value))
            return
        dated = [t for t in ("DateTime", "Date", "Time") if t in ranges]
        if dated:
            expected, example = DATE_EXAMPLES[dated[0]]
            if len(dated) > 1:
                expected = " or ".join(DATE_EXAMPLES[t][0] for t in dated)
            self.add(
                "error",
                path,
                NOT_A_DATE.format(path=path, value=value, expected=expected, example=example),
            )
            return
        self.not_in_range(name, prop, value, path)

    def not_in_range(self, name: str, prop: Property, value: Any, path: str) -> None:
        self.add(
            "error",
            path,
            NOT_IN_RANGE.format(
                path=path, found=_describe(value), property=name, range=_or(prop.range)
            ),
        )


def check_vocabulary(data: Any, *, vocab: Vocabulary | None = None) -> list[Finding]:
    """Every schema.org problem in the JSON-LD document `data` (a dict, or a list of them).

    A document with an `@context` other than schema.org's is reported and not checked further;
    one without `@context` (an item nested in a DataFeed) is read as schema.org. `@graph` is
    followed.
    """
    checker = _Checker(vocab or vocabulary())
    documents = data if isinstance(data, list) else [data]
    for i, doc in enumerate(documents):
        prefix = f"[{i}]" if isinstance(data, list) else ""
        if not isinstance(doc, dict):
            checker.add(
                "error",
                prefix or "(document)",
                MISSING_TYPE.format(path=prefix or "(document)", expected="a schema.org type"),
            )
            continue
        context = doc.get("@context")
        if context is not None and not (isinstance(context, str) and context in SCHEMA_CONTEXTS):
            checker.add(
                "error",
                f"{prefix}@context" if not prefix else f"{prefix}.@context",
                NOT_SCHEMA_CONTEXT.format(context=context),
            )
            continue
        nodes = doc["@graph"] if isinstance(doc.get("@graph"), list) else [doc]
        for j, node in enumerate(nodes):
            path = prefix if nodes is not doc.get("@graph") else f"{prefix}@graph[{j}]"
            if not isinstance(node, dict):
                continue
            if not _node_types(node):
                checker.add(
                    "error",
                    path or "@type",
                    MISSING_TYPE.format(path=path or "(document)", expected="a schema.org type"),
                )
            checker.node(node, path, 0)
    return checker.findings
