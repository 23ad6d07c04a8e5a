"""The admin: every page renders for a superuser, and changelists cost the same with more rows."""

from collections.abc import Callable

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Review
from claims.services.revisions import revision_start
from tests.helpers import (
    AppearanceFactory,
    ClaimantFactory,
    CorrectionFactory,
    EvidenceFactory,
    PublisherFactory,
    RatingFactory,
    RatingScaleFactory,
    ReviewFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    WorkflowEventFactory,
)

pytestmark = pytest.mark.django_db


def _review_with_everything() -> Review:
    review = ReviewFactory(published=True)
    review.claim.topics.add(TopicFactory())
    AppearanceFactory(claim=review.claim, first=True)
    EvidenceFactory(review=review)
    EvidenceFactory(review=review)
    CorrectionFactory(review=review)
    WorkflowEventFactory(review=review)
    review.authors.add(WorkflowEventFactory().actor)
    ReviewFactory(imported=True, claim=review.claim)
    return review


# One builder per registered model: each call adds at least one row with its relations.
BUILDERS: dict[str, Callable[[], object]] = {
    "claims.topic": TopicFactory,
    "claims.claimant": ClaimantFactory,
    "claims.claim": lambda: _review_with_everything().claim,
    "claims.appearance": AppearanceFactory,
    "claims.ratingscale": RatingScaleFactory,
    "claims.rating": RatingFactory,
    "claims.publisher": PublisherFactory,
    "claims.review": _review_with_everything,
    "claims.evidence": EvidenceFactory,
    "claims.correction": CorrectionFactory,
    "claims.workflowevent": WorkflowEventFactory,
    "sources.source": SourceFactory,
    "claims.revision": lambda: revision_start(
        review=_review_with_everything(), by=UserFactory(is_superuser=True)
    ),
}


# Rows written only through a review's workflow (evidence through the review's page): the admin
# offers no add page of their own.
WRITTEN_BY_THE_WORKFLOW = {
    "claims.correction",
    "claims.evidence",
    "claims.workflowevent",
    "claims.revision",  # started with "Revise" on a published review's page
}


def registered_models() -> list[str]:
    return sorted(
        m._meta.label_lower
        for m in admin.site._registry
        if m._meta.app_label in {"claims", "sources"}
    )


def test_every_model_of_ours_is_registered_in_the_admin() -> None:
    assert registered_models() == sorted(BUILDERS)


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_changelist_add_and_change_pages_render(label: str, admin_client) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        BUILDERS[label]()
    app_label, model_name = label.split(".")
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "a"}).status_code == 200

    add = admin_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert add.status_code == (403 if label in WRITTEN_BY_THE_WORKFLOW else 200), label
    model = admin.site._registry.keys()
    obj = next(m for m in model if m._meta.label_lower == label)._default_manager.first()
    change = admin_client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]))
    assert change.status_code == 200


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_changelist_queries_do_not_grow_with_rows(label: str, admin_client) -> None:  # type: ignore[no-untyped-def]
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    for _ in range(3):
        BUILDERS[label]()
    admin_client.get(url)  # warm the session and content types
    with CaptureQueriesContext(connection) as three:
        assert admin_client.get(url).status_code == 200
    for _ in range(3):
        BUILDERS[label]()
    with CaptureQueriesContext(connection) as six:
        assert admin_client.get(url).status_code == 200
    assert len(six) == len(three), [q["sql"] for q in six.captured_queries]


def test_review_changelist_query_count(admin_client, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        _review_with_everything()
    url = reverse("admin:claims_review_changelist")
    admin_client.get(url)
    # session, user; choices of the rating, claimant and topic filters (small tables); the
    # users who published, for "Published by"; the count (capped, and no second count of the
    # unfiltered total); the page of reviews with claim, rating and publisher joined. Nothing
    # per row, nothing over the whole table.
    with django_assert_num_queries(8):
        response = admin_client.get(url)
    total = Review.objects.count()  # ours, imported ones, the audit trail's
    assert f"{total} reviews" in response.content.decode()


def test_the_review_changelist_reads_no_query_over_all_reviews_but_its_page(admin_client) -> None:  # type: ignore[no-untyped-def]
    # At a million reviews, a DISTINCT (the "related only" filters, a language filter) or an
    # uncapped COUNT reads every row: the filters list the small tables instead.
    for _ in range(3):
        _review_with_everything()
    admin_client.get(reverse("admin:claims_review_changelist"))
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(reverse("admin:claims_review_changelist"))
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if "DISTINCT" in q.upper()], sql
    counts = [q for q in sql if "COUNT(" in q.upper()]
    assert len(counts) == 1 and "LIMIT 10001" in counts[0], counts


def test_published_by_lists_exactly_the_users_who_published(admin_client) -> None:  # type: ignore[no-untyped-def]
    review = _review_with_everything()
    Review.objects.filter(pk=review.pk).update(published_by=UserFactory())
    review.refresh_from_db()
    bystander = UserFactory(username="never-published-anything")
    content = admin_client.get(reverse("admin:claims_review_changelist")).content.decode()
    assert f"?published_by__id__exact={review.published_by_id}" in content
    assert f"?published_by__id__exact={bystander.pk}" not in content


def test_the_review_changelist_stops_counting_at_the_cap(admin_client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from core import admin as core_admin

    monkeypatch.setattr(core_admin, "COUNT_CAP", 2)
    for _ in range(3):
        _review_with_everything()
    content = admin_client.get(reverse("admin:claims_review_changelist")).content.decode()
    assert "more than 2 reviews" in content


def test_claim_changelist_query_count(admin_client, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        _review_with_everything()
    url = reverse("admin:claims_claim_changelist")
    admin_client.get(url)
    # session, user; choices of the claimant and topic filters; the capped count; the page of
    # claims with their claimant joined.
    with django_assert_num_queries(6):
        admin_client.get(url)


def test_review_change_page_lists_evidence_corrections_and_audit_trail(admin_client) -> None:  # type: ignore[no-untyped-def]
    review = _review_with_everything()
    response = admin_client.get(reverse("admin:claims_review_change", args=[review.pk]))
    content = response.content.decode()
    assert "Evidence" in content
    assert review.corrections.get().note in content
    assert "create" in content  # the workflow event


def test_claim_change_page_lists_appearances_and_reviews(admin_client) -> None:  # type: ignore[no-untyped-def]
    review = _review_with_everything()
    response = admin_client.get(reverse("admin:claims_claim_change", args=[review.claim_id]))
    content = response.content.decode()
    assert review.claim.appearances.get().url in content
    assert review.headline in content
