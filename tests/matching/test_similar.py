"""The matching service: similar_claims() ranks our claims and imported prior checks by
exact text, URL, words and meaning (real embedder: multilingual-e5-small)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from claims.models import Claim
from matching import services
from matching.services import similar_claims
from tests.helpers import (
    AppearanceFactory,
    ClaimFactory,
    PublisherFactory,
    index_for_matching,
    prior_check,
)

pytestmark = pytest.mark.django_db

SESSIONS = "sessions-did-not-have-communications-with-the-russians"


@pytest.fixture(autouse=True)
def _cached_embedder(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FACTCHECK_EMBEDDER = "tests.helpers.CachedEmbedder"


@pytest.fixture
def demo() -> None:
    call_command("load_demo", verbosity=0)
    index_for_matching()


def slugs(matches: list[services.Match]) -> list[str]:
    return [(m.claim or m.prior_check.claim).slug for m in matches]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "Jeff Sessions said he never talked to the Russians",
        "Sessions dijo que no tuvo comunicaciones con los rusos",
    ],
)
def test_a_paraphrase_in_any_language_finds_the_sessions_denial_in_the_top_3(
    demo: None, text: str
) -> None:
    assert SESSIONS in slugs(similar_claims(text=text, limit=3))


def test_the_spanish_paraphrase_finds_it_by_meaning(demo: None) -> None:
    [match] = [
        m
        for m in similar_claims(text="Sessions dijo que no tuvo comunicaciones con los rusos")
        if m.claim and m.claim.slug == SESSIONS
    ]
    assert "meaning" in match.reasons


def test_an_identical_text_is_a_same_text_match_with_score_1() -> None:
    claim = ClaimFactory(text="The moon landing was filmed in a studio in Nevada.")
    ClaimFactory(text="The moon is made of green cheese.")
    index_for_matching(embed=False)
    [best, *_] = similar_claims(text="  the MOON landing was filmed in a studio in Névada. ")
    assert best.claim == claim
    assert best.score == 1.0
    assert "same_text" in best.reasons


def test_a_claim_that_appeared_at_the_url_is_a_same_url_match() -> None:
    claim = ClaimFactory(text="Vaccines contain microchips for tracking people.")
    AppearanceFactory(claim=claim, url="https://www.video.example.org/watch?v=abc")
    ClaimFactory(text="Something else entirely about the weather in Spain.")
    index_for_matching(embed=False)
    matches = similar_claims(
        text="A politician said something", url="http://video.example.org/watch?v=abc&utm_source=x"
    )
    assert matches[0].claim == claim
    assert "same_url" in matches[0].reasons
    assert matches[0].score >= services.URL_FLOOR


def test_a_prior_check_carries_its_publisher_verdict_url_date_and_language() -> None:
    review = prior_check(
        "Drinking bleach cures the coronavirus.",
        rating_label="Pants on Fire",
        url="https://checker.example.net/bleach",
        language="en",
    )
    index_for_matching()
    [match, *_] = similar_claims(text="Bleach cures COVID-19")
    assert match.prior_check == review
    assert match.claim is None
    assert services.verdict_of(review) == ("Pants on Fire", "false")


def test_identical_prior_checks_of_one_publisher_are_one_result() -> None:
    snopes, other = PublisherFactory(name="Snopes"), PublisherFactory(name="Other")
    text = "Bill Gates wants to depopulate the planet with vaccines."
    first = prior_check(text, publisher=snopes)
    prior_check(text, publisher=snopes)
    third = prior_check(text, publisher=other)
    index_for_matching(embed=False)
    matches = [m.prior_check for m in similar_claims(text=text)]
    assert matches[:2] == [first, third]


def test_a_claim_not_yet_embedded_is_found_by_its_words() -> None:
    claim = ClaimFactory(text="The Eiffel Tower will be dismantled and moved to Las Vegas.")
    ClaimFactory(text="Spiders are insects with six legs.")
    index_for_matching(embed=False)
    [best, *_] = similar_claims(text="Eiffel tower moved to Las Vegas")
    assert best.claim == claim
    assert best.reasons == ["words"]


def test_without_the_embedder_matching_still_ranks_by_the_other_signals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    claim = ClaimFactory(text="The Eiffel Tower will be dismantled and moved to Las Vegas.")
    index_for_matching()

    def down() -> None:
        raise RuntimeError("embedder unavailable")

    monkeypatch.setattr(services, "get_embedder", down)
    [best] = similar_claims(text="Eiffel tower moved to Las Vegas")
    assert best.claim == claim
    assert "meaning" not in best.reasons


def test_the_claim_being_edited_is_left_out() -> None:
    claim = ClaimFactory(text="The Eiffel Tower will be dismantled and moved to Las Vegas.")
    index_for_matching(embed=False)
    assert similar_claims(text=claim.text, exclude_claim=claim.pk) == []


def test_scores_are_probabilities_in_0_1(demo: None) -> None:
    matches = similar_claims(text="Hope Hicks said something about emails", limit=50)
    assert matches
    assert all(0 <= m.score <= 1 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


@pytest.mark.parametrize("text", ["", "   ", "x" * (services.MAX_TEXT_LENGTH + 1)])
def test_an_empty_or_too_long_text_is_a_field_error(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        similar_claims(text=text)
    assert "text" in error.value.message_dict


def test_any_claim_state_is_matched_but_not_imported_drafts() -> None:
    draft_claim = ClaimFactory(text="Aliens built the pyramids of Giza.")
    index_for_matching(embed=False)
    assert [m.claim for m in similar_claims(text="aliens built the pyramids")] == [draft_claim]
    assert Claim.objects.count() == 1


def test_a_term_is_read_whole_up_to_lexical_depth_entries_and_a_commoner_one_less() -> None:
    depth, n = services.LEXICAL_DEPTH, 1_000_000
    assert services.lexical_depth(n, 5) == depth  # all 5 of its postings
    assert services.lexical_depth(n, depth) == depth
    commoner = [services.lexical_depth(n, df) for df in (depth + 1, 10_000, 100_000, 500_000)]
    assert commoner == sorted(commoner, reverse=True)
    assert all(1 <= d <= depth for d in commoner)
    assert services.lexical_depth(n, 170_000) == 571  # a word in a sixth of 1M claims
