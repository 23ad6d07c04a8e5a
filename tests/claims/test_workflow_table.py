"""The workflow table (claims.workflow) is the one place an action is written: every layer
reads it. A rule whose service, admin form or API endpoint is missing fails here."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.admin.forms import action_form
from claims.api.views import ReviewViewSet, RevisionViewSet
from claims.models import ReviewStatus, RevisionStatus
from claims.permissions import allowed_actions
from claims.services.reviews import PERFORMERS
from claims.workflow import BUTTONS, REVISION_BUTTONS, RULES, Action
from tests.helpers import STATES, UserFactory, review_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("action", BUTTONS)
def test_every_button_has_a_service_an_admin_form_and_an_api_endpoint(action: Action) -> None:
    rule = RULES[action]
    assert action in PERFORMERS
    assert action_form(action) is not None
    endpoint = getattr(ReviewViewSet, action.value)
    assert endpoint.url_path == rule.slug
    assert endpoint.mapping == {"post": action.value}
    assert reverse(f"editorial-review-{rule.slug}", args=[1]).endswith(f"/{rule.slug}/")


@pytest.mark.parametrize("action", REVISION_BUTTONS)
def test_every_revision_button_has_a_service_an_admin_form_and_an_api_endpoint(
    action: Action,
) -> None:
    rule = RULES[action]
    assert rule.subject == "revision"
    assert action in PERFORMERS
    assert action_form(action) is not None
    endpoint = getattr(RevisionViewSet, action.value)
    assert endpoint.url_path == rule.slug
    assert endpoint.mapping == {"post": action.value}
    url = reverse(f"editorial-revision-{rule.slug}", args=[1])
    assert url == f"/api/v1/revisions/1/{rule.slug}/"


def test_every_state_change_leads_to_a_known_state() -> None:
    for rule in RULES.values():
        states = RevisionStatus if rule.subject == "revision" else ReviewStatus
        # Revise starts from a review's state and creates a revision (no review state change).
        assert set(rule.source) <= set(ReviewStatus.values if rule.action == "revise" else states)
        assert rule.target is None or rule.target in states.values


@pytest.mark.parametrize("action", BUTTONS)
def test_a_button_is_offered_exactly_in_the_states_its_rule_starts_from(
    action: Action, superuser
) -> None:  # type: ignore[no-untyped-def]
    author = UserFactory(username="author")
    for status in STATES:
        review = review_in(status, author)
        offered = action in allowed_actions(superuser, review)
        # A superuser holds every permission and wrote none of these reviews.
        assert offered == (status in RULES[action].source), (action, status)
