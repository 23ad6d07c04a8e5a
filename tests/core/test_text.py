"""core.text.fold: the one way the site compares words whatever their case and accents (the
search column, the reader search, the public API's `q` and claims:search all use it)."""

from __future__ import annotations

import pytest

from core.text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("RUSSIANS", "russians"),
        ("Émigré Café", "emigre cafe"),
        ("São Paulo", "sao paulo"),
        ("Straße", "strasse"),
        ("Øresund Łódź", "oresund lodz"),
        ("ﬁnancial", "financial"),  # ligature
        ("it’s", "it's"),
    ],
)
def test_fold_lowercases_and_drops_accents(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("nul\x00byte", "nulbyte"),  # PostgreSQL refuses NUL in a query
        ("soft\u00adhyphen zero\u200bwidth", "softhyphen zerowidth"),
        ("tabs\tand\nnew  lines", "tabs and new lines"),
        ("  İstanbul  ", "istanbul"),
    ],
)
def test_fold_drops_control_and_format_characters_and_collapses_whitespace(
    text: str, folded: str
) -> None:
    assert fold(text) == folded
