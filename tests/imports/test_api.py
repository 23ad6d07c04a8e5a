"""POST /api/v1/imports/ and GET /api/v1/imports/<run>/: who may, what each Content-Type reads,
the report, the size limit (a JSON 413 before the body is read), and bad documents (400)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.test import override_settings
from rest_framework.test import force_authenticate

from claims.models import Review
from imports.api import ImportView
from imports.models import ImportRun
from tests.helpers import api

pytestmark = pytest.mark.django_db

CLAIMREVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://checker.example.net/fact-checks/moon-cheese/",
    "claimReviewed": "The moon is made of cheese",
    "datePublished": "2024-02-01",
    "author": {"@type": "Organization", "name": "Checker", "url": "https://checker.example.net"},
    "reviewRating": {"@type": "Rating", "alternateName": "False"},
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A. Nobody"}},
}
PAGE = (
    "<html><head><script type='application/ld+json'>"
    + json.dumps({**CLAIMREVIEW, "url": "/fact-checks/moon-cheese/"})
    + "</script></head><body>x</body></html>"
)


def post(user: Any, body: bytes | str, content_type: str, query: str = "") -> Any:
    return api(user).generic("POST", f"/api/v1/imports/{query}", body, content_type=content_type)


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("anonymous", 401),
        ("nobody", 403),
        ("factchecker", 403),
        ("editor", 201),
        ("publisher", 201),
        ("superuser", 201),
    ],
)
def test_editors_and_publishers_import(cast, who: str, code: int) -> None:  # type: ignore[no-untyped-def]
    response = post(cast[who], json.dumps(CLAIMREVIEW), "application/json")
    assert response.status_code == code
    assert Review.objects.imported().count() == (1 if code == 201 else 0)


def test_the_report_and_reading_it_again(editor) -> None:  # type: ignore[no-untyped-def]
    response = post(
        editor, json.dumps([CLAIMREVIEW, {"@type": "ClaimReview"}]), "application/ld+json"
    )
    assert response.status_code == 201
    report = response.json()
    review = Review.objects.imported().get()
    assert report["counts"] == {"imported": 1, "updated": 0, "unchanged": 0, "refused": 1}
    assert report["records"][0] == {
        "index": 0,
        "url": CLAIMREVIEW["url"],
        "status": "imported",
        "reason": "",
        "review": review.pk,
    }
    assert report["records"][1]["status"] == "refused"
    assert report["records"][1]["reason"] == "url: is missing."
    again = api(editor).get(f"/api/v1/imports/{report['run']}/")
    assert again.status_code == 200
    assert again.json() == report


def test_html_with_the_page_address(editor) -> None:  # type: ignore[no-untyped-def]
    response = post(editor, PAGE, "text/html; charset=utf-8", "?url=https://checker.example.net/x/")
    assert response.status_code == 201, response.json()
    assert Review.objects.imported().get().external_url == CLAIMREVIEW["url"]


def test_ndjson(editor) -> None:  # type: ignore[no-untyped-def]
    second = {**CLAIMREVIEW, "url": "https://checker.example.net/fact-checks/two/"}
    body = json.dumps(CLAIMREVIEW) + "\n" + json.dumps(second) + "\n"
    response = post(editor, body, "application/x-ndjson")
    assert response.json()["counts"]["imported"] == 2


def test_dry_run_writes_nothing(editor) -> None:  # type: ignore[no-untyped-def]
    response = post(editor, json.dumps(CLAIMREVIEW), "application/json", "?dry_run=1")
    assert response.status_code == 201
    assert response.json()["counts"]["imported"] == 1
    assert response.json()["run"] is None
    assert not Review.objects.exists() and not ImportRun.objects.exists()


def test_our_archive_is_for_publishers(editor) -> None:  # type: ignore[no-untyped-def]
    response = post(editor, json.dumps(CLAIMREVIEW), "application/json", "?as_ours=1")
    assert response.status_code == 403
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"", b"{", b'{"@type": "ClaimReview", "url": ', b"[1, 2,", b"nonsense", b"\xff\xfe{"],
    ids=["empty", "brace", "truncated", "truncated-list", "not-json", "bad-bytes"],
)
def test_a_bad_document_is_a_400_with_the_reason(editor, body: bytes) -> None:  # type: ignore[no-untyped-def]
    response = post(editor, body, "application/json")
    assert response.status_code == 400
    assert response.json()["document"][0]
    assert not Review.objects.exists()


def test_an_unknown_content_type_is_a_415(editor) -> None:  # type: ignore[no-untyped-def]
    response = post(editor, "x", "text/plain")
    assert response.status_code == 415
    assert "application/json" in response.json()["document"][0]


class EndlessBody(io.RawIOBase):
    """A request body of `size` bytes that exist only when read (nothing is allocated)."""

    def __init__(self, size: int) -> None:
        self.size, self.served = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self.size - self.served)
        buffer[:n] = b" " * n
        self.served += n
        return n


def wsgi_post(body: EndlessBody, length: int) -> WSGIRequest:
    return WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/v1/imports/",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(length),
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "wsgi.input": body,
            "wsgi.url_scheme": "http",
        }
    )


def test_a_1_gb_body_is_a_413_before_it_is_read(editor) -> None:  # type: ignore[no-untyped-def]
    gigabyte = 1024**3
    body = EndlessBody(gigabyte)
    request = wsgi_post(body, gigabyte)
    force_authenticate(request, user=editor)
    response = ImportView.as_view()(request)
    assert response.status_code == 413
    assert "larger than" in response.data["document"][0]
    assert body.served == 0


@override_settings(FACTCHECK_IMPORT_MAX_BYTES=1000)
def test_a_body_longer_than_the_limit_is_cut_off_with_a_413(editor) -> None:  # type: ignore[no-untyped-def]
    body = EndlessBody(1024**3)
    request = wsgi_post(body, 1000)  # says 1000 bytes; the stream stops there
    force_authenticate(request, user=editor)
    response = ImportView.as_view()(request)
    assert response.status_code == 400  # 1000 spaces: no JSON at all
    assert body.served <= 64 * 1024


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000, FACTCHECK_IMPORT_MAX_BYTES=10_000)
def test_imports_have_their_own_body_limit_through_the_whole_stack(editor) -> None:  # type: ignore[no-untyped-def]
    # Bigger than any other API body may be, within the import limit: imported.
    document = json.dumps({**CLAIMREVIEW, "reviewBody": "x" * 3000})
    response = post(editor, document, "application/json")
    assert response.status_code == 201, response.content
    # Bigger than the import limit: a JSON 413 naming it, nothing written.
    big = json.dumps({**CLAIMREVIEW, "url": CLAIMREVIEW["url"] + "2", "reviewBody": "x" * 20_000})
    response = post(editor, big, "application/json")
    assert response.status_code == 413
    assert "10000" in json.dumps(response.json()) or "10,000" in json.dumps(response.json())
    assert Review.objects.imported().count() == 1
    # Other endpoints keep the usual limit.
    response = api(editor).post("/api/v1/claims/", {"text": "y" * 3000}, format="json")
    assert response.status_code == 413


def test_reading_a_run_needs_an_editor(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    run = post(editor, json.dumps(CLAIMREVIEW), "application/json").json()["run"]
    assert api(factchecker).get(f"/api/v1/imports/{run}/").status_code == 403
    assert api().get(f"/api/v1/imports/{run}/").status_code == 401
    assert api(editor).get("/api/v1/imports/999999/").status_code == 404


# The worker closes its database connections between tasks: real transactions, as in
# production (the queue is written when the import commits).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_indexes_an_imports_claims_and_pending_index_counts_down(  # type: ignore[no-untyped-def]
    editor, settings
) -> None:
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from matching.services import similar_claims

    settings.FACTCHECK_EMBEDDER = "tests.helpers.CachedEmbedder"
    report = post(editor, json.dumps(CLAIMREVIEW), "application/json").json()
    assert report["counts"]["imported"] == 1
    assert report["pending_index"] == 1  # written in bulk: matching does not know it yet
    assert DBTaskResult.objects.filter(task_path="matching.tasks.index_backlog_task").exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    again = api(editor).get(f"/api/v1/imports/{report['run']}/").json()
    assert again["pending_index"] == 0
    [match, *_] = similar_claims(text="Is the moon made of cheese?")
    assert match.prior_check is not None
    assert match.prior_check.claim.text == "The moon is made of cheese"
