"""Validators any app's models may use."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

INVISIBLE_IN_HOST = (
    "The address's host holds an invisible or direction-changing character (%(code)s), which "
    "can make it look like another site: type the address again."
)
# Unicode categories nothing visible belongs to: format (bidirectional controls such as
# U+202E, zero-width joiners, U+FEFF), controls, separators, private use, unassigned.
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp", "Co", "Cn"})
# Letters that render as blank (Hangul fillers, the Braille blank).
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def validate_visible_host(value: str) -> None:
    """Refuse a URL whose host (user info and port included) holds a character that shows
    nothing or reorders what is shown: `https://exa\\u202emple.org/` displays as another host."""
    try:
        netloc = urlsplit(value).netloc
    except ValueError:
        return  # not a URL at all: URLValidator says so
    for char in netloc:
        if char in BLANK_LETTERS or unicodedata.category(char) in INVISIBLE_CATEGORIES:
            raise ValidationError(
                INVISIBLE_IN_HOST, code="invisible_host", params={"code": f"U+{ord(char):04X}"}
            )
