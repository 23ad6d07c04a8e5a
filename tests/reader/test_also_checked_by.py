"""The claim page's "Also checked by": other publishers' checks an editor confirmed as the same
claim, and nothing automatic."""

from __future__ import annotations

import pytest
from django.test import Client

from matching.services import relation_create, relation_delete
from tests.helpers import ClaimFactory, make_fact_check, prior_check

pytestmark = pytest.mark.django_db


def test_confirmed_same_claim_prior_checks_are_listed(  # type: ignore[no-untyped-def]
    client: Client, editor, django_capture_on_commit_callbacks
) -> None:
    review = make_fact_check()
    same = prior_check("Sessions denied contacts", rating_label="Pants on Fire")
    related = prior_check("Sessions met Kislyak", rating_label="True")
    prior_check("Sessions never met any Russian")  # similar, but nobody confirmed it
    page = f"/claims/{review.claim.slug}/"
    assert "Also checked by" not in client.get(page).content.decode()  # cached now

    with django_capture_on_commit_callbacks(execute=True):  # the page cache goes stale
        relation_create(claim=review.claim, by=editor, kind="same", prior_check=same)
        relation_create(claim=review.claim, by=editor, kind="related", prior_check=related)
    html = client.get(page).content.decode()
    assert "Also checked by" in html
    assert f'href="{same.external_url}"' in html and "Pants on Fire" in html
    assert related.external_url not in html
    assert "Sessions never met any Russian" not in html

    with django_capture_on_commit_callbacks(execute=True):
        relation_delete(claim=review.claim, by=editor, prior_check=same)
    assert "Also checked by" not in client.get(page).content.decode()


def test_a_link_to_a_claim_of_ours_is_not_shown(client: Client, editor) -> None:  # type: ignore[no-untyped-def]
    review = make_fact_check()
    relation_create(claim=review.claim, by=editor, kind="same", related_claim=ClaimFactory())
    assert "Also checked by" not in client.get(f"/claims/{review.claim.slug}/").content.decode()
