"""Every invariant of the domain model is refused by the database itself.

Each test writes around the model layer (create() without full_clean, update(), bulk_create),
as a script or a bug would, and expects the database to say no.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import (
    Appearance,
    Claim,
    Claimant,
    Correction,
    Evidence,
    Rating,
    RatingScale,
    Review,
    ReviewStatus,
    Topic,
    WorkflowEvent,
)
from tests.helpers import (
    AppearanceFactory,
    ClaimantFactory,
    ClaimFactory,
    CorrectionFactory,
    EvidenceFactory,
    PublisherFactory,
    RatingFactory,
    RatingScaleFactory,
    ReviewFactory,
    TopicFactory,
    WorkflowEventFactory,
    default_rating,
)

pytestmark = pytest.mark.django_db


@contextmanager
def refused() -> Iterator[None]:
    """Expect an IntegrityError, inside a savepoint so the test can go on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


# --- unique slugs ------------------------------------------------------------------------------


def test_claim_slugs_are_unique() -> None:
    ClaimFactory(slug="same")
    with refused():
        Claim.objects.create(text="Another", slug="same")


def test_claimant_slugs_are_unique() -> None:
    ClaimantFactory(slug="same")
    with refused():
        Claimant.objects.create(name="Other", slug="same")


def test_topic_slugs_are_unique() -> None:
    TopicFactory(slug="same")
    with refused():
        Topic.objects.create(name="Other", slug="same")


def test_rating_scale_slugs_are_unique() -> None:
    RatingScaleFactory(slug="same")
    with refused():
        RatingScale.objects.create(name="Other", slug="same")


@pytest.mark.parametrize("model", [Claim, Claimant, Topic])
def test_slugs_cannot_be_empty(model: type) -> None:
    row = {Claim: ClaimFactory, Claimant: ClaimantFactory, Topic: TopicFactory}[model]()
    with refused():
        model.objects.filter(pk=row.pk).update(slug="")


def test_slugs_are_made_unique_when_derived() -> None:
    first = ClaimFactory(text="Same words", short_text="")
    second = ClaimFactory(text="Same words", short_text="")
    assert (first.slug, second.slug) == ("same-words", "same-words-2")


# --- rating scale ------------------------------------------------------------------------------


def test_rating_values_are_unique_within_a_scale() -> None:
    scale = RatingScaleFactory()
    RatingFactory(scale=scale, value=3)
    with refused():
        Rating.objects.create(scale=scale, label="Other", slug="other", value=3)


def test_the_same_value_is_allowed_on_another_scale() -> None:
    RatingFactory(value=3)
    RatingFactory(value=3)


def test_several_ratings_without_value_share_a_scale() -> None:
    scale = RatingScaleFactory()
    RatingFactory(scale=scale, value=None)
    RatingFactory(scale=scale, value=None)


def test_rating_values_start_at_1() -> None:
    with refused():
        RatingFactory(value=0)


def test_rating_slugs_are_unique_within_a_scale() -> None:
    scale = RatingScaleFactory()
    RatingFactory(scale=scale, slug="false")
    with refused():
        RatingFactory(scale=scale, slug="false")


def test_rating_colours_are_hex() -> None:
    with refused():
        RatingFactory(colour="red")


def test_only_one_scale_is_the_default() -> None:
    with refused():
        RatingScaleFactory(is_default=True)


# --- reviews -----------------------------------------------------------------------------------


def test_review_status_is_constrained() -> None:
    review = ReviewFactory()
    with refused():
        Review.objects.filter(pk=review.pk).update(status="scheduled")


def test_review_version_starts_at_1() -> None:
    review = ReviewFactory()
    with refused():
        Review.objects.filter(pk=review.pk).update(version=0)


def test_a_claim_has_at_most_one_published_review_of_ours() -> None:
    first = ReviewFactory(published=True)
    with refused():
        ReviewFactory(published=True, claim=first.claim)


def test_imported_reviews_do_not_count_against_our_one_published_review() -> None:
    ours = ReviewFactory(published=True)
    ReviewFactory(imported=True, claim=ours.claim)
    ReviewFactory(imported=True, claim=ours.claim)
    assert ours.claim.reviews.count() == 3


def test_a_withdrawn_review_does_not_block_publishing_a_new_one() -> None:
    old = ReviewFactory(
        published=True,
        status=ReviewStatus.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawal_note="Withdrawn.",
    )
    ReviewFactory(published=True, claim=old.claim)


def test_a_published_review_of_ours_has_a_rating() -> None:
    with refused():
        ReviewFactory(published=True, rating=None)


def test_a_published_review_has_its_publication_dates() -> None:
    review = ReviewFactory(published=True)
    with refused():
        Review.objects.filter(pk=review.pk).update(publish_at=None)
    with refused():
        Review.objects.filter(pk=review.pk).update(date_published=None)


def test_a_withdrawn_review_has_a_public_note() -> None:
    review = ReviewFactory(published=True)
    with refused():
        Review.objects.filter(pk=review.pk).update(
            status=ReviewStatus.WITHDRAWN, withdrawn_at=timezone.now(), withdrawal_note=""
        )


def test_an_imported_review_is_published_and_links_to_its_publisher() -> None:
    review = ReviewFactory(imported=True)
    with refused():
        Review.objects.filter(pk=review.pk).update(external_url="")
    with refused():
        Review.objects.filter(pk=review.pk).update(status=ReviewStatus.DRAFT)


def test_a_rating_in_use_cannot_be_deleted() -> None:
    ReviewFactory(published=True)
    with refused():
        default_rating().delete()


# --- evidence, corrections, audit trail, appearances ------------------------------------------


def test_evidence_stance_is_constrained() -> None:
    evidence = EvidenceFactory()
    with refused():
        Evidence.objects.filter(pk=evidence.pk).update(stance="maybe")


def test_a_source_cited_as_evidence_cannot_be_deleted() -> None:
    evidence = EvidenceFactory()
    with refused():
        evidence.source.delete()


def test_correction_kind_is_constrained() -> None:
    correction = CorrectionFactory()
    with refused():
        Correction.objects.filter(pk=correction.pk).update(kind="erratum")


def test_a_correction_has_a_public_note() -> None:
    correction = CorrectionFactory()
    with refused():
        Correction.objects.filter(pk=correction.pk).update(note="")


def test_workflow_event_states_are_constrained() -> None:
    event = WorkflowEventFactory()
    with refused():
        WorkflowEvent.objects.filter(pk=event.pk).update(target="limbo")
    with refused():
        WorkflowEvent.objects.filter(pk=event.pk).update(source="limbo")


def test_a_claim_has_at_most_one_first_appearance() -> None:
    first = AppearanceFactory(first=True)
    with refused():
        AppearanceFactory(claim=first.claim, first=True)
    AppearanceFactory(claim=first.claim, first=False)


def test_an_appearance_url_is_listed_once_per_claim() -> None:
    first = AppearanceFactory()
    with refused():
        Appearance.objects.create(claim=first.claim, url=first.url)


def test_a_claim_with_reviews_cannot_be_deleted() -> None:
    review = ReviewFactory()
    with refused():
        review.claim.delete()


def test_a_publisher_with_imported_reviews_cannot_be_deleted() -> None:
    publisher = PublisherFactory()
    ReviewFactory(imported=True, publisher=publisher)
    with refused():
        publisher.delete()


def test_claimant_kind_is_constrained() -> None:
    claimant = ClaimantFactory()
    with refused():
        Claimant.objects.filter(pk=claimant.pk).update(kind="robot")


def test_scheduled_review_is_not_public_until_its_time() -> None:
    review = ReviewFactory(published=True, publish_at=timezone.now() + datetime.timedelta(hours=1))
    assert not Review.objects.published().filter(pk=review.pk).exists()
    later = timezone.now() + datetime.timedelta(hours=2)
    assert Review.objects.published(now=later).filter(pk=review.pk).exists()
    assert not review.is_public()
    assert review.is_public(now=later)
