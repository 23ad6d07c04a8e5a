import pytest
from django.db import IntegrityError, transaction

from sources.models import Source
from tests.helpers import SourceFactory

pytestmark = pytest.mark.django_db


def test_saving_a_source_stores_its_url_normalised() -> None:
    source = SourceFactory(url="HTTPS://News.Example.org:443/story/?utm_source=tw#c")
    source.refresh_from_db()
    assert source.url == "https://news.example.org/story"


def test_two_links_to_one_document_are_one_source() -> None:
    SourceFactory(url="https://news.example.org/story?utm_campaign=a")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(url="https://NEWS.example.org/story/")


def test_full_clean_reports_a_duplicate_url_as_a_form_error() -> None:
    SourceFactory(url="https://news.example.org/story")
    duplicate = Source(url="https://news.example.org/story/?fbclid=1", title="Again")
    with pytest.raises(Exception) as excinfo:
        duplicate.full_clean()
    assert "url" in excinfo.value.message_dict  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "raw",
    [
        "https://News.example.org/story",  # host case
        "HTTPS://news.example.org/story",  # scheme case
        "https://news.example.org:443/story",  # default port
        "http://news.example.org:80/story",  # default port
        "https://news.example.org/story/",  # trailing slash
        "https://news.example.org/story?utm_source=x",  # tracking parameter
        "https://news.example.org/story?id=1&fbclid=x",  # tracking parameter
        "https://news.example.org/story#part",  # fragment
        "https://news.example.org",  # no path
        "ftp://news.example.org/story",  # not http(s)
    ],
)
def test_database_refuses_a_url_that_is_not_normalised(raw: str) -> None:
    source = SourceFactory()
    # update() skips save(), as a script or raw SQL would: only the database stands in the way.
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.filter(pk=source.pk).update(url=raw)


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example.org/",
        "https://news.example.org/story",
        "https://news.example.org:8080/story?id=1",
        "http://news.example.org/a/b?q=x&page=2",
    ],
)
def test_database_accepts_normalised_urls(url: str) -> None:
    source = SourceFactory()
    Source.objects.filter(pk=source.pk).update(url=url)


def test_database_refuses_an_unknown_source_kind() -> None:
    source = SourceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.filter(pk=source.pk).update(kind="rumour")


def test_source_history_is_kept() -> None:
    source = SourceFactory(title="First title")
    source.title = "Second title"
    source.save()
    assert [h.title for h in source.history.all()] == ["Second title", "First title"]
