"""Text folding: the one way the site compares words whatever their case and accents."""

from __future__ import annotations

import unicodedata

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


def _kept(c: str) -> bool:
    """Combining marks (accents), format characters (soft hyphen, zero-width space, BOM) and
    control characters other than whitespace (NUL: PostgreSQL refuses it) are dropped."""
    if unicodedata.combining(c):
        return False
    category = unicodedata.category(c)
    return category != "Cf" and (category != "Cc" or c.isspace())


def fold(text: str) -> str:
    """`text` lower-cased, without accents and whitespace collapsed: " Émigré  RUSSIANS" ->
    "emigre russians"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(filter(_kept, decomposed)).translate(_LETTERS).split())
