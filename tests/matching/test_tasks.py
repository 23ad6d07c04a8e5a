"""Background work: a saved claim is indexed on commit and its embedding queued in the
database; the worker (manage.py db_worker) embeds it once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from claims.models import Claim
from claims.services.claims import claim_create
from matching.models import MatchEntry
from matching.services import similar_claims
from tests.helpers import ClaimFactory, ReviewFactory

# The worker closes its database connections between tasks, as it should: each test runs in
# real transactions (the queue is read and written as in production), not in one rolled back.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _cached_embedder(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FACTCHECK_EMBEDDER = "tests.helpers.CachedEmbedder"


def work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def bulk_import(n: int) -> list[Claim]:
    """Claims written without signals (bulk_create), as an import may: matching does not know."""
    return Claim.objects.bulk_create(
        [
            Claim(text=f"Imported claim number {i} about tides.", slug=f"imported-{i}")
            for i in range(n)
        ]
    )


def test_a_new_claim_is_matched_by_words_at_once_and_by_meaning_once_the_worker_ran(  # type: ignore[no-untyped-def]
    factchecker, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        claim = claim_create(by=factchecker, text="The Great Wall of China is visible from space.")
    entry = MatchEntry.objects.get(pk=claim.pk)
    assert entry.embedding is None
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "matching.tasks.embed_claims_task"
    assert task.args_kwargs["args"] == [[claim.pk]]
    [match] = similar_claims(text="Great Wall visible from space")
    assert "meaning" not in match.reasons

    work()
    entry.refresh_from_db()
    assert entry.embedding is not None and len(entry.embedding) == 384
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    [match] = similar_claims(text="Can you see the Great Wall of China from orbit?")
    assert "meaning" in match.reasons


def test_the_task_is_idempotent(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        claim = ClaimFactory(text="Bananas are berries.")
    work()
    embedded_at = MatchEntry.objects.get(pk=claim.pk).embedded_at
    with django_capture_on_commit_callbacks(execute=True):
        Claim.objects.get(pk=claim.pk).save()  # saved again, unchanged: queued again
    work()
    assert MatchEntry.objects.get(pk=claim.pk).embedded_at == embedded_at
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_changed_headline_reindexes_and_re_embeds_the_claim(  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        review = ReviewFactory(claim__text="Bananas are berries.")
    work()
    before = MatchEntry.objects.get(pk=review.claim_id)
    with django_capture_on_commit_callbacks(execute=True):
        review.headline = "Botanists agree: strawberries are not berries"
        review.save()
    assert MatchEntry.objects.get(pk=review.claim_id).lexical_hash != before.lexical_hash
    work()
    after = MatchEntry.objects.get(pk=review.claim_id)
    assert after.embedded_hash != before.embedded_hash


def test_matching_index_command_works_through_the_backlog(capsys) -> None:  # type: ignore[no-untyped-def]
    claims = bulk_import(3)
    assert not MatchEntry.objects.exists()
    call_command("matching_index", "--status")
    assert "not yet embedded: 3" in capsys.readouterr().out
    call_command("matching_index")
    assert MatchEntry.objects.filter(embedding__isnull=False).count() == len(claims)
    call_command("matching_index", "--status")
    assert "not yet embedded: 0" in capsys.readouterr().out


def test_the_backlog_task_embeds_everything_then_stops(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    bulk_import(3)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("matching_index", "--queue", verbosity=0)
    work()
    assert MatchEntry.objects.filter(embedding__isnull=False).count() == 3
