"""Search in claims: the folded column every search reads.

Review.search_text stays current: when a review, its claim or its claimant is saved (directly or
through the services), and when the data migration or `refresh_search_text()` fills it for rows
written without `save()`. The search over it is tested in tests/matching/ (the same words
through every entry point: test_search_everywhere.py; the reader's page: tests/reader/
test_search_page.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Review
from claims.search import (
    fold,
    refresh_search_text,
    review_search_text,
    search_text,
)
from claims.services.claimants import claimant_update
from claims.services.claims import claim_update
from claims.services.reviews import review_correct, review_update
from tests.helpers import (
    ClaimantFactory,
    ClaimFactory,
    ReviewFactory,
    default_rating,
)

pytestmark = pytest.mark.django_db


def sessions(**review_fields: object) -> Review:
    claim = ClaimFactory(
        text="I did not have  communications with the Rüssians.",
        short_text="No contacts with Russia",
        claimant=ClaimantFactory(name="Jeff SESSIONS"),
    )
    return ReviewFactory(
        claim=claim,
        published=True,
        headline="Sessions met the envoy",
        summary="Twice,\nin fact.",
        **review_fields,
    )


def column(review: Review) -> str:
    return Review.objects.values_list("search_text", flat=True).get(pk=review.pk)


def test_a_new_review_stores_its_folded_claim_claimant_headline_and_summary() -> None:
    review = sessions()
    assert column(review) == (
        "i did not have communications with the russians. no contacts with russia "
        "jeff sessions sessions met the envoy twice, in fact."
    )


def test_a_review_without_claimant_or_short_text_still_gets_its_column() -> None:
    review = ReviewFactory(claim=ClaimFactory(text="Anonymous claim", claimant=None))
    assert column(review) == f"anonymous claim {fold(review.headline)} the short answer."


def test_no_word_spans_two_fields() -> None:
    assert search_text("Russia", None, "", "ns", None) == "russia ns"


def test_editing_the_headline_or_summary_updates_the_column() -> None:
    review = sessions()
    review.headline = "Ambassador KISLYAK"
    review.save()
    assert "ambassador kislyak" in column(review)
    review.summary = "Ünique summary"
    review.save(update_fields=["summary"])  # search_text is added to update_fields
    assert column(review).endswith("ambassador kislyak unique summary")


def test_a_save_of_other_fields_leaves_the_column_alone() -> None:
    review = Review.objects.get(pk=sessions().pk)  # no claim or claimant cached
    Review.objects.filter(pk=review.pk).update(search_text="stale on purpose")
    review.date_modified = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        review.save(update_fields=["date_modified"])
    assert not [q for q in queries if '"claims_claim' in q["sql"] or "search_text" in q["sql"]]
    assert column(review) == "stale on purpose"


def test_moving_a_review_to_another_claim_updates_the_column() -> None:
    review = sessions()
    review.claim = ClaimFactory(text="The crowd was the largest ever.", claimant=None)
    review.save(update_fields=["claim"])
    assert column(review).startswith("the crowd was the largest ever. sessions met the envoy")


def test_renaming_the_claimant_updates_every_review_of_theirs() -> None:
    first = sessions()
    claimant = first.claim.claimant
    second = ReviewFactory(claim=ClaimFactory(claimant=claimant))
    draft_of_other = ReviewFactory(claim=ClaimFactory(claimant=ClaimantFactory(name="Other")))
    before = column(draft_of_other)
    claimant.name = "Jefferson Beauregard Sessions Ⅲ"
    claimant.save()
    for review in (first, second):
        assert "jefferson beauregard sessions iii" in column(review)
        assert "jeff sessions" not in column(review)
    assert column(draft_of_other) == before


def test_editing_the_claim_updates_all_its_reviews_ours_and_imported() -> None:
    ours = sessions()
    theirs = ReviewFactory(claim=ours.claim, imported=True)
    claim = ours.claim
    claim.text = "Je n'ai eu AUCUNE communication avec les Russes."
    claim.short_text = "Aucune communication"
    claim.save(update_fields=["text", "short_text"])
    for review in (ours, theirs):
        assert column(review).startswith(
            "je n'ai eu aucune communication avec les russes. aucune communication jeff sessions"
        )


def test_giving_the_claim_another_claimant_updates_its_reviews() -> None:
    review = sessions()
    review.claim.claimant = ClaimantFactory(name="Donald Trump")
    review.claim.save()
    assert "donald trump" in column(review) and "jeff" not in column(review)
    review.claim.claimant = None
    review.claim.save(update_fields=["claimant"])
    assert "donald trump" not in column(review)


def test_saving_other_claim_or_claimant_fields_does_not_touch_reviews() -> None:
    review = sessions()
    claim, claimant = review.claim, review.claim.claimant
    claim.venue = "A hearing"
    claimant.job_title = "Senator"
    with CaptureQueriesContext(connection) as queries:
        claim.save(update_fields=["venue"])
        claimant.save(update_fields=["job_title"])
    assert not [q for q in queries if "search_text" in q["sql"]]


def test_the_services_keep_the_column_current(publisher) -> None:  # type: ignore[no-untyped-def]
    draft = ReviewFactory(
        claim=ClaimFactory(text="A claim", claimant=ClaimantFactory(name="Jeff")),
        headline="Draft headline",
        summary="",
    )
    claimant_update(
        claimant=draft.claim.claimant, by=publisher, changes={"name": "Jeff Séssions Jr"}
    )
    claim_update(claim=draft.claim, by=publisher, changes={"text": "Nö communications at all."})
    review_update(review=draft, by=publisher, version=draft.version, changes={"headline": "Dräft"})
    assert column(draft) == "no communications at all. jeff sessions jr draft"

    published = sessions(rating=default_rating())
    review_correct(
        review=published,
        by=publisher,
        kind="correction",
        note="The headline misnamed the envoy.",
        version=published.version,
        changes={"headline": "Sessions met ambassador Kislyak"},
    )
    assert "jeff sessions sessions met ambassador kislyak twice, in fact." in column(published)


def test_refresh_fixes_rows_written_without_save_and_reports_how_many() -> None:
    reviews = [sessions() for _ in range(3)]
    Review.objects.update(search_text="")
    Review.objects.filter(pk=reviews[0].pk).update(headline="Changed behind save()")
    assert refresh_search_text(Review.objects.all(), batch_size=2) == 3
    assert refresh_search_text(Review.objects.all(), lock=True) == 0
    for review in Review.objects.select_related("claim__claimant"):
        assert review.search_text == review_search_text(review)
    assert "changed behind save()" in column(reviews[0])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_data_migration_fills_the_column_for_existing_rows() -> None:
    reviews = [sessions(), ReviewFactory(imported=True), ReviewFactory()]
    Review.objects.update(search_text="")
    executor = MigrationExecutor(connection)
    # Back to before the fill (its reverse is a noop), then forward again: the fill runs.
    executor.migrate([("claims", "0005_review_search_text")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    for review in reviews:
        review.refresh_from_db()
        assert review.search_text and review.search_text == review_search_text(review)
