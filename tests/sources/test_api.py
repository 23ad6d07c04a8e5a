"""The editorial API for sources: /api/v1/sources/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sources import services
from sources.models import Source
from tests.helpers import EvidenceFactory, SourceFactory, api

pytestmark = pytest.mark.django_db

SOURCES = reverse("editorial-source-list")


def source_url(source: Source) -> str:
    return reverse("editorial-source-detail", args=[source.pk])


def test_a_fact_checker_adds_a_source_stored_with_its_url_normalised(factchecker) -> None:  # type: ignore[no-untyped-def]
    response = api(factchecker).post(
        SOURCES,
        {
            "url": "HTTPS://www.Example.org/report/?utm_source=twitter#top",
            "title": "The report",
            "kind": "official_record",
            "date_published": "2017-03-01",
            "id": 4242,  # server-owned: ignored
        },
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["url"] == "https://www.example.org/report"
    assert data["id"] != 4242
    assert Source.objects.get().history.get().history_user == factchecker


def test_the_same_document_linked_differently_gets_400(factchecker) -> None:  # type: ignore[no-untyped-def]
    SourceFactory(url="https://www.example.org/report")
    response = api(factchecker).post(
        SOURCES, {"url": "https://WWW.example.org/report/?fbclid=abc", "title": "Again"}
    )
    assert response.status_code == 400
    assert "url" in response.json()
    assert Source.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "No URL"}, "url"),
        ({"url": "ftp://example.org/file", "title": "FTP"}, "url"),
        ({"url": "https://example.org/x"}, "title"),
        ({"url": "https://example.org/x", "title": "T", "kind": "rumour"}, "kind"),
        ({"url": "https://example.org/x", "title": "T", "accessed_at": "yesterday"}, "accessed_at"),
    ],
)
def test_a_bad_source_gets_400(payload, field, factchecker) -> None:  # type: ignore[no-untyped-def]
    response = api(factchecker).post(SOURCES, payload)
    assert response.status_code == 400
    assert field in response.json()
    assert not Source.objects.exists()


def test_patching_a_source(factchecker) -> None:  # type: ignore[no-untyped-def]
    source = SourceFactory(title="Old title")
    response = api(factchecker).patch(source_url(source), {"title": "New title", "version": 1})
    assert (response.status_code, response.json()["title"]) == (200, "New title")


def test_only_editors_delete_sources_and_never_cited_ones(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    lonely, cited = SourceFactory(), EvidenceFactory().source
    assert api(factchecker).delete(source_url(lonely)).status_code == 403
    response = api(editor).delete(source_url(cited))
    assert response.status_code == 409
    assert response.json()["detail"] == services.SOURCE_IN_USE
    assert api(editor).delete(source_url(lonely)).status_code == 204
    assert list(Source.objects.all()) == [cited]


def test_deleting_a_cited_source_is_a_conflict_with_its_code(editor) -> None:  # type: ignore[no-untyped-def]
    cited = EvidenceFactory().source
    response = api(editor).delete(source_url(cited))
    assert response.status_code == 409
    assert response.json() == {"detail": services.SOURCE_IN_USE, "code": "source_in_use"}
    assert Source.objects.filter(pk=cited.pk).exists()


def test_sources_for_outsiders(nobody) -> None:  # type: ignore[no-untyped-def]
    source = SourceFactory()
    assert api().get(SOURCES).status_code == 401
    assert api(nobody).get(SOURCES).status_code == 403
    assert api(nobody).post(SOURCES, {"url": "https://a.org/", "title": "x"}).status_code == 403
    assert api(nobody).get(source_url(source)).status_code == 404
    assert api(nobody).delete(source_url(source)).status_code == 404


@pytest.mark.parametrize("rows", [3, 6])
def test_the_source_list_costs_the_same_whatever_the_rows(  # type: ignore[no-untyped-def]
    rows, factchecker, django_assert_num_queries
) -> None:
    for _ in range(rows):
        EvidenceFactory()
    client = api(factchecker)
    # token + user; the user's and their groups' permissions; count; the page.
    with django_assert_num_queries(5):
        response = client.get(SOURCES)
    assert len(response.json()["results"]) == rows


def test_the_source_detail_query_count(factchecker, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    sources = [EvidenceFactory().source for _ in range(3)]
    client = api(factchecker)
    # token + user; the user's and their groups' permissions; the source.
    with django_assert_num_queries(4):
        response = client.get(source_url(sources[1]))
    assert response.json()["title"] == sources[1].title
