from __future__ import annotations

from django.db import models


class SearchWord(models.Model):
    """A word of the searchable reviews, for "Did you mean ...?" (PostgreSQL only).

    Filled by PostgreSQL itself: a trigger on claims_review adds the folded words (3 to 40
    letters or digits, not only digits) of every published review, ours or imported, whenever
    its `search_text` or status is written (INSERT ... ON CONFLICT DO NOTHING), however the row
    was written (save, bulk_update, raw SQL). A trigram index (pg_trgm) finds the words that
    look like a misspelt one. Words are never removed on their own (a word may also be in a
    review that is no longer public): a suggestion is only offered when searching it finds
    public results (matching.search), so this table never shows the public anything;
    `manage.py search_words --rebuild` refills it from the published reviews of today.
    """

    word = models.CharField(max_length=40, primary_key=True)

    class Meta:
        db_table = "matching_search_word"

    def __str__(self) -> str:
        return self.word
