"""Reader search: case- and accent-insensitive matching over our published fact checks.

A query matches a review when every one of its words occurs (as a substring, after folding) in
the claim's text or short form, the claimant's name, the headline or the summary. Folding is done
here, in Python, on both sides, so "russians", "RUSSIANS" and "Rüssians" find the same reviews on
SQLite and PostgreSQL alike without database extensions.

This is deliberately simple: one indexed query reads the few searchable columns of the public
reviews and the filtering happens in Python, streamed. Ranked full-text search will replace the
internals of `search_review_ids()`, not its signature nor the search page.
"""

from __future__ import annotations

import unicodedata

from claims.models import Review

# The longest query accepted, and how many of its words are used.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

QUERY_TOO_LONG = f"Search for at most {MAX_QUERY_LENGTH} characters."

# Letters that do not decompose into a base letter and an accent under NFKD.
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ı": "i",
        "ŧ": "t",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ß": "ss",
        # Typographic apostrophes and quotes match their plain forms.
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)


def fold(text: str) -> str:
    """`text` lower-cased and without accents: "Émigré RUSSIANS" -> "emigre russians"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)


def query_terms(query: str) -> list[str]:
    """The folded words of a query (at most MAX_TERMS, duplicates dropped, order kept)."""
    return list(dict.fromkeys(fold(query).split()))[:MAX_TERMS]


def search_review_ids(query: str) -> list[int]:
    """Ids of the published reviews matching every word of `query`, newest first.

    One query whatever the number of reviews (its rows are streamed, so memory holds only the
    matching ids). An empty query matches nothing.
    """
    terms = query_terms(query)
    if not terms:
        return []
    rows = (
        Review.objects.published()
        .order_by("-publish_at", "-id")
        .values_list(
            "pk",
            "claim__text",
            "claim__short_text",
            "claim__claimant__name",
            "headline",
            "summary",
        )
    )
    matches = []
    for pk, *fields in rows.iterator(chunk_size=500):
        haystack = fold("\n".join(field or "" for field in fields))
        if all(term in haystack for term in terms):
            matches.append(pk)
    return matches
