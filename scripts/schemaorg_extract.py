#!/usr/bin/env python3
"""Write claims/claimreview/schemaorg-vocabulary.json: the schema.org our validator reads.

    python scripts/schemaorg_extract.py [--source FILE] [--output FILE] [--check]

The source is the release's whole vocabulary, `schemaorg-current-https.jsonld` (default:
../shared/vendor-data/schemaorg/, release 30.0). The extract keeps, for every class, its direct
superclasses; for every property, its domainIncludes and rangeIncludes; the data types; and which
terms are superseded by which. Comments, labels, examples and enumeration members are left out,
so the validator runs without the vendor data. `--check` exits 1 when the committed extract
differs from what the source gives (a test runs it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared/vendor-data/schemaorg/schemaorg-current-https.jsonld"
DEFAULT_OUTPUT = ROOT / "claims/claimreview/schemaorg-vocabulary.json"
PREFIX = "schema:"


def _ids(value: Any) -> list[str]:
    """The schema.org local names in a JSON-LD reference or list of references."""
    refs = value if isinstance(value, list) else [value] if value else []
    return sorted(
        r["@id"].removeprefix(PREFIX)
        for r in refs
        if isinstance(r, dict) and r.get("@id", "").startswith(PREFIX)
    )


def _types(node: dict[str, Any]) -> list[str]:
    t = node.get("@type", [])
    return t if isinstance(t, list) else [t]


def _release(source: Path) -> str:
    # The release number is not inside the file; the vendor copy is release 30.0 (see its
    # README). Accept it from a sibling versions.json when one is there.
    versions = source.with_name("versions.json")
    if versions.is_file():
        return str(json.loads(versions.read_text())["schemaversion"])
    return "30.0"


def extract(source: Path) -> dict[str, Any]:
    raw = source.read_bytes()
    graph = json.loads(raw)["@graph"]
    types: dict[str, list[str]] = {}
    properties: dict[str, list[list[str]]] = {}
    superseded: dict[str, str] = {}
    datatype_roots: set[str] = set()
    for node in graph:
        node_id = node.get("@id", "")
        if not node_id.startswith(PREFIX):
            continue
        name = node_id.removeprefix(PREFIX)
        kinds = _types(node)
        if "rdfs:Class" in kinds:
            types[name] = _ids(node.get("rdfs:subClassOf"))
            if "schema:DataType" in kinds:
                datatype_roots.add(name)
        elif "rdf:Property" in kinds:
            properties[name] = [
                _ids(node.get("schema:domainIncludes")),
                _ids(node.get("schema:rangeIncludes")),
            ]
        else:
            continue  # an enumeration member ("schema:InStock"): not a type or property
        replacements = _ids(node.get("schema:supersededBy"))
        if replacements:
            superseded[name] = replacements[0]

    # Data types are the DataType classes (Text, Number, Date, ...) and their subclasses (URL,
    # Integer, ...); values of these are JSON literals, not objects with an @type.
    datatypes = set(datatype_roots)
    changed = True
    while changed:
        changed = False
        for name, parents in types.items():
            if name not in datatypes and datatypes.intersection(parents):
                datatypes.add(name)
                changed = True
    return {
        "release": _release(source),
        "source": {"file": source.name, "sha256": hashlib.sha256(raw).hexdigest()},
        "datatypes": sorted(datatypes),
        "types": dict(sorted(types.items())),
        "properties": dict(sorted(properties.items())),
        "superseded": dict(sorted(superseded.items())),
    }


def render(data: dict[str, Any]) -> str:
    """JSON with one term per line: compact, yet a new release shows as a readable diff."""

    def block(mapping: dict[str, Any]) -> str:
        lines = [
            f"  {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in mapping.items()
        ]
        return "{\n" + ",\n".join(lines) + "\n }"

    parts = [
        f' "release": {json.dumps(data["release"])}',
        f' "source": {json.dumps(data["source"], separators=(",", ":"))}',
        f' "datatypes": {json.dumps(data["datatypes"], separators=(",", ":"))}',
        f' "types": {block(data["types"])}',
        f' "properties": {block(data["properties"])}',
        f' "superseded": {block(data["superseded"])}',
    ]
    return "{\n" + ",\n".join(parts) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the output file is not up to date"
    )
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"schema.org vocabulary not found: {args.source} (use --source)", file=sys.stderr)
        return 2
    text = render(extract(args.source))
    if args.check:
        current = args.output.read_text() if args.output.is_file() else ""
        if current != text:
            print(f"{args.output} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.write_text(text)
    print(f"wrote {args.output} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
