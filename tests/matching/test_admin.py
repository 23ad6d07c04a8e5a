"""Matching in the admin: the "Already checked?" panel on the claim form, the refusal of a
duplicate claim, links made on a new claim, and "Prior checks and past verdicts"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Claim
from matching.models import ClaimRelation, RelationKind
from tests.helpers import (
    ClaimFactory,
    ReviewFactory,
    Scripts,
    form_data,
    index_for_matching,
    prior_check,
    signed_in,
)

pytestmark = pytest.mark.django_db

ADD = "/admin/claims/claim/add/"


@pytest.fixture(autouse=True)
def _cached_embedder(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FACTCHECK_EMBEDDER = "tests.helpers.CachedEmbedder"


def test_the_claim_form_carries_the_panel_and_our_script(editor) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    response = signed_in(editor).get(f"/admin/claims/claim/{claim.pk}/change/")
    html = response.content.decode()
    assert 'id="already-checked"' in html
    assert f'data-relations-url="/api/v1/claims/{claim.pk}/relations/"' in html
    assert 'data-similar-url="/api/v1/claims/similar/"' in html
    scripts = Scripts()
    scripts.feed(html)
    assert any(src.endswith("matching/already-checked.js") for src in scripts.src)
    assert scripts.inline == []  # the CSP allows no inline script


def add_form(client, text: str, **extra) -> dict:  # type: ignore[no-untyped-def]
    data = form_data(client.get(ADD))
    data.update({"text": text, "language": "en", **extra})
    return data


def test_a_new_claim_identical_to_one_of_ours_is_refused_with_a_link(editor) -> None:  # type: ignore[no-untyped-def]
    existing = ClaimFactory(text="The moon landing was filmed in a studio.")
    index_for_matching(embed=False)
    client = signed_in(editor)
    response = client.post(ADD, add_form(client, "  THE MOON landing was filmed in a studio. "))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This claim exists already" in html
    assert f'href="/admin/claims/claim/{existing.pk}/change/"' in html
    assert Claim.objects.count() == 1


def test_a_claim_only_imported_as_a_prior_check_does_not_block_ours(editor) -> None:  # type: ignore[no-untyped-def]
    prior_check("The moon landing was filmed in a studio.")
    index_for_matching(embed=False)
    client = signed_in(editor)
    response = client.post(ADD, add_form(client, "The moon landing was filmed in a studio."))
    assert response.status_code == 302
    assert Claim.objects.count() == 2


def test_links_clicked_on_a_new_claim_are_recorded_when_it_is_saved(editor) -> None:  # type: ignore[no-untyped-def]
    same, related = prior_check("Bleach cures COVID."), prior_check("Garlic cures COVID.")
    ours = ReviewFactory(claim__text="Our own claim").pk
    client = signed_in(editor)
    links = f"same:{same.pk},related:{related.pk},same:{ours},bogus,related:x"
    response = client.post(
        ADD, add_form(client, "Drinking bleach cures COVID-19.", matching_links=links)
    )
    assert response.status_code == 302
    claim = Claim.objects.get(text="Drinking bleach cures COVID-19.")
    assert set(ClaimRelation.objects.values_list("claim", "prior_check", "kind", "created_by")) == {
        (claim.pk, same.pk, RelationKind.SAME, editor.pk),
        (claim.pk, related.pk, RelationKind.RELATED, editor.pk),
    }


def test_the_review_page_shows_prior_checks_and_past_verdicts(editor) -> None:  # type: ignore[no-untyped-def]
    review = ReviewFactory(claim__text="The Eiffel Tower will be moved to Las Vegas.")
    linked = prior_check("The Eiffel Tower is moving to Nevada.", rating_label="Pants on Fire")
    similar = prior_check(
        "Eiffel Tower to be moved to Las Vegas, says mayor.", rating_label="Falso"
    )
    ClaimRelation.objects.create(
        claim=review.claim, prior_check=linked, kind="same", created_by=editor
    )
    index_for_matching()
    response = signed_in(editor).get(reverse("admin:claims_review_change", args=[review.pk]))
    html = response.content.decode()
    assert "Prior checks and past verdicts" in html
    assert linked.external_url in html and "Pants on Fire" in html
    # The similar claims are listed by the page's script from similar/ (never waiting for the
    # embedder while the page renders): the panel says what to ask for.
    assert 'data-similar-url="/api/v1/claims/similar/"' in html
    assert f'data-claim-id="{review.claim_id}"' in html
    assert 'data-text="The Eiffel Tower will be moved to Las Vegas."' in html
    assert similar.external_url not in html
