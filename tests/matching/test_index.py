"""matching.index: the entries, postings, term counts and URLs derived from the claims, kept
in step as claims change, and idempotent."""

from __future__ import annotations

import pytest

from claims.models import Claim
from matching import lexical
from matching.index import index_claims, remove_claim, reweigh, text_key, url_key
from matching.models import IndexStats, MatchEntry, MatchUrl, Posting, Term
from tests.helpers import AppearanceFactory, ClaimFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def documents_of(term: str) -> int:
    return Term.objects.get(term=term).documents


def stats() -> tuple[int, int]:
    row = IndexStats.objects.get()
    return row.documents, row.total_length


def test_an_entry_counts_the_claims_words_claimant_and_review_headlines() -> None:
    claim = ClaimFactory(text="The Russians hacked the election.", claimant__name="Jane Doe")
    ReviewFactory(claim=claim, headline="No evidence of hacking")
    assert index_claims([claim.pk]) == 1
    entry = MatchEntry.objects.get()
    terms = set(Posting.objects.filter(entry=entry).values_list("term__term", flat=True))
    assert terms == {"russian", "hack", "elect", "jane", "doe", "evid"}
    assert entry.length == 7  # "hack" twice
    assert entry.text_key == text_key("the russians HACKED the election.")
    assert stats() == (1, 7)


def test_reindexing_an_unchanged_claim_does_nothing() -> None:
    claim = ClaimFactory(text="The Russians hacked the election.")
    index_claims([claim.pk])
    before = list(Posting.objects.values_list("term_id", "weight"))
    assert index_claims([claim.pk]) == 0
    assert list(Posting.objects.values_list("term_id", "weight")) == before
    assert stats()[0] == 1


def test_an_edit_moves_the_term_counts() -> None:
    a = ClaimFactory(text="Russians hacked voting machines.", claimant=None)
    b = ClaimFactory(text="Russians bought Facebook ads.", claimant=None)
    index_claims([a.pk, b.pk])
    assert documents_of("russian") == 2
    Claim.objects.filter(pk=a.pk).update(text="Chinese hackers hacked voting machines.")
    assert index_claims([a.pk]) == 1
    assert documents_of("russian") == 1
    assert documents_of("chines") == 1
    assert stats() == (2, 5 + 4)  # chines hacker hack vote machin; russian bought facebook ad


def test_a_deleted_claim_leaves_the_index() -> None:
    a = ClaimFactory(text="Russians hacked voting machines.", claimant=None)
    b = ClaimFactory(text="Russians bought Facebook ads.", claimant=None)
    AppearanceFactory(claim=a, url="https://example.org/a")
    index_claims([a.pk, b.pk])
    a.delete()  # the pre_delete receiver takes it out, in the same transaction
    assert documents_of("russian") == 1
    assert documents_of("hack") == 0
    assert stats() == (1, 4)
    assert not MatchUrl.objects.exists()
    remove_claim(a.pk)  # twice is harmless
    assert stats() == (1, 4)


def test_claims_gone_from_the_database_are_removed_when_reindexed() -> None:
    claim = ClaimFactory(text="Russians hacked voting machines.")
    index_claims([claim.pk])
    assert index_claims([claim.pk, 987654]) == 0
    assert stats()[0] == 1


def test_urls_of_appearances_and_imported_reviews_are_keyed_however_spelled() -> None:
    claim = ClaimFactory(text="A claim with places.")
    AppearanceFactory(claim=claim, url="https://www.Example.org/video/?utm_source=feed")
    ReviewFactory(claim=claim, imported=True, external_url="https://checker.example.net/c/1/")
    index_claims([claim.pk])
    keys = set(MatchUrl.objects.values_list("url_key", flat=True))
    assert keys == {url_key("http://example.org/video"), url_key("https://checker.example.net/c/1")}
    assert url_key("not a url") is None


def test_weights_are_bm25s_document_side() -> None:
    claim = ClaimFactory(text="Russians Russians hacked.", claimant=None)
    index_claims([claim.pk])
    weights = dict(Posting.objects.values_list("term__term", "weight"))
    average = 10.0  # the first entry is weighted against the default average length
    assert weights["russian"] == pytest.approx(lexical.weight(2, 3, average))
    assert weights["hack"] == pytest.approx(lexical.weight(1, 3, average))


def test_terms_are_folded_stemmed_and_stop_words_dropped() -> None:
    assert lexical.terms("The RÜSSIANS were talking", "en") == ["russian", "talk"]
    assert lexical.terms("Sessions dijo que no tuvo comunicaciones con los rusos", "es") == [
        "sessions",  # Spanish stemming leaves the English name whole
        "dij",
        "tuv",
        "comun",
        "rus",
    ]
    assert lexical.terms("Слово и дело", "xx") == ["слово", "дело"]


def test_reweigh_recomputes_the_weights_with_todays_average_length() -> None:
    claims = [
        ClaimFactory(text="Russians Russians hacked.", claimant=None),
        ClaimFactory(
            text="A much longer claim about Russians and many other words here.", claimant=None
        ),
    ]
    index_claims([c.pk for c in claims])
    assert reweigh() == Posting.objects.count()
    documents, total = stats()
    entry = MatchEntry.objects.get(pk=claims[0].pk)
    weight = Posting.objects.get(entry=entry, term__term="russian").weight
    assert weight == pytest.approx(lexical.weight(2, entry.length, total / documents))
