"""`manage.py import_claimreviews PATH|- ... [--as-ours] [--dry-run] [--report FILE]`."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from claims.models import Review
from imports.models import ImportRun

pytestmark = pytest.mark.django_db


def review(n: int, **fields: Any) -> dict[str, Any]:
    return {
        "@type": "ClaimReview",
        "url": f"https://checker.example.net/checks/{n}/",
        "claimReviewed": f"Claim {n}",
        "datePublished": "2024-05-01",
        "author": {"@type": "Organization", "name": "Checker"},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        **fields,
    }


def feed(*items: Any) -> str:
    return json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "DataFeed",
            "dataFeedElement": [
                item
                if item is None or "@type" not in item or item["@type"] != "ClaimReview"
                else {"@type": "DataFeedItem", "dateCreated": "2024-05-02", "item": [item]}
                for item in items
            ],
        }
    )


def test_a_file_is_imported_and_reported(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "feed.json"
    path.write_text(feed(review(1), None, review(2, datePublished="soon"), {"@type": "Thing"}))
    report = tmp_path / "report.json"
    call_command("import_claimreviews", str(path), "--report", str(report))
    out = capsys.readouterr().out
    assert "imported 1, updated 0, unchanged 0, refused 2" in out
    assert (
        "record 1 https://checker.example.net/checks/2/: datePublished: 'soon' is not an ISO 8601"
        in out
    )
    [written] = json.loads(report.read_text())
    assert written["counts"] == {"imported": 1, "updated": 0, "unchanged": 0, "refused": 2}
    assert [r["status"] for r in written["records"]] == ["imported", "refused", "refused"]
    assert written["records"][2]["reason"].endswith("no ClaimReview in this item.")
    assert "\r" not in out  # no progress bar when not on a terminal


def test_stdin_and_json_lines(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    lines = "\n".join(json.dumps(review(n)) for n in range(3)).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines)))
    call_command("import_claimreviews", "-")
    assert "stdin" not in capsys.readouterr().err
    assert Review.objects.imported().count() == 3


def test_dry_run_writes_nothing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "one.json"
    path.write_text(json.dumps(review(1)))
    call_command("import_claimreviews", str(path), "--dry-run")
    assert "would import 1" in capsys.readouterr().out
    assert not Review.objects.exists() and not ImportRun.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"@type": "ClaimReview", "url": "https://x.example/', "Invalid JSON"),
        ("hello", "neither JSON nor HTML"),
        ("{}", "No ClaimReview found"),
    ],
    ids=["truncated", "not-json", "nothing"],
)
def test_a_bad_file_exits_non_zero_with_the_reason(
    tmp_path: Path, capsys, content: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError):
        call_command("import_claimreviews", str(path))
    assert message in capsys.readouterr().err
    assert not Review.objects.exists()


def test_a_truncated_feed_keeps_the_whole_records_before_the_cut(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    text = feed(review(1), review(2), review(3))
    cut = text.index('"https://checker.example.net/checks/3/"') + 10
    path = tmp_path / "cut.json"
    path.write_text(text[:cut])
    with pytest.raises(CommandError):
        call_command("import_claimreviews", str(path))
    assert "Invalid JSON" in capsys.readouterr().err
    # Each record is atomic: the two read whole are in, nothing of the third.
    assert sorted(Review.objects.values_list("external_url", flat=True)) == [
        "https://checker.example.net/checks/1/",
        "https://checker.example.net/checks/2/",
    ]


def test_a_missing_file(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_claimreviews", "/nonexistent/feed.json")


def test_an_html_page_with_several_claimreviews_and_its_url(tmp_path: Path) -> None:
    blocks = "".join(
        f'<script type="application/ld+json">{json.dumps(review(n, url=f"/checks/{n}/"))}</script>'
        for n in (1, 2)
    )
    microdata = (
        '<div itemscope itemtype="https://schema.org/ClaimReview">'
        '<link itemprop="url" href="/checks/3/"><span itemprop="claimReviewed">Claim 3</span>'
        '<meta itemprop="datePublished" content="2024-05-03">'
        '<div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">'
        '<span itemprop="alternateName">Mostly true</span></div></div>'
    )
    path = tmp_path / "page.html"
    path.write_text(f"<html><head>{blocks}</head><body>{microdata}</body></html>")
    call_command("import_claimreviews", str(path), "--url", "https://checker.example.net/x")
    reviews = {r.external_url: r for r in Review.objects.imported()}
    assert set(reviews) == {f"https://checker.example.net/checks/{n}/" for n in (1, 2, 3)}
    assert reviews["https://checker.example.net/checks/3/"].verdict == "mostly_true"


def test_json_ld_graph_with_id_references(tmp_path: Path) -> None:
    document = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "Organization",
                "@id": "#org",
                "name": "Graph Checkers",
                "url": "https://g.example/",
            },
            {**review(1, url="https://g.example/c/1"), "author": {"@id": "#org"}},
        ],
    }
    path = tmp_path / "graph.jsonld"
    path.write_text(json.dumps(document))
    call_command("import_claimreviews", str(path))
    assert Review.objects.imported().get().publisher.name == "Graph Checkers"


def test_fact_check_tools_pages(tmp_path: Path) -> None:
    page = {
        "claims": [
            {
                "text": "The sea is sweet",
                "claimant": "A blog",
                "claimDate": "2024-01-01T00:00:00Z",
                "claimReview": [
                    {
                        "publisher": {"name": "Sea Checkers", "site": "seacheck.example"},
                        "url": "https://seacheck.example/sweet",
                        "title": "No",
                        "reviewDate": "2024-01-03T00:00:00Z",
                        "textualRating": "Falso",
                        "languageCode": "es",
                    }
                ],
            }
        ],
        "nextPageToken": "x",
    }
    path = tmp_path / "pages.json"
    path.write_text(json.dumps([page, {"claims": []}]))
    call_command("import_claimreviews", str(path))
    review_ = Review.objects.imported().select_related("publisher", "claim__claimant").get()
    assert (review_.publisher.site, review_.language, review_.verdict) == (
        "seacheck.example",
        "es",
        "false",
    )
    assert review_.claim.claimant.name == "A blog"
