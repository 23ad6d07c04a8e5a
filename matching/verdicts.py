"""One vocabulary for verdicts from any publisher, so an editor can compare "Pants on Fire",
"Falso" and our own "False" at a glance.

`normalised_verdict(label, ...)` maps a textual rating to one of VERDICTS. Our own ratings
with a value map by their place on our scale; textual ratings by the words they use, in the
languages fact-checkers publish most (the words are folded, so case and accents do not
matter). What is not recognised is "other": shown with its own label, never guessed.
"""

from __future__ import annotations

import re

from core.text import fold

FALSE, MOSTLY_FALSE, MIXED, MOSTLY_TRUE, TRUE = (
    "false",
    "mostly_false",
    "mixed",
    "mostly_true",
    "true",
)
MISLEADING, UNPROVEN, SATIRE, OTHER = "misleading", "unproven", "satire", "other"
VERDICTS = (FALSE, MOSTLY_FALSE, MIXED, MOSTLY_TRUE, TRUE, MISLEADING, UNPROVEN, SATIRE, OTHER)

# First match wins: the qualified phrases come before the plain words they contain.
_PATTERNS: list[tuple[str, str]] = [
    (
        MOSTLY_FALSE,
        r"mostly false|mainly false|largely false|mayormente falso|mostly inaccurate"
        r"|mostly untrue|en gran parte falso|plutot faux|majoritairement faux",
    ),
    (
        MOSTLY_TRUE,
        r"mostly true|mainly true|largely true|mayormente verdadero|mostly accurate"
        r"|mostly correct|plutot vrai|en gran parte verdadero",
    ),
    (
        MIXED,
        r"half true|half-true|mixture|mixed|partly true|partly false|partially|mitad"
        r"|verdadero a medias|a medias|en partie|impreciso|half right",
    ),
    (SATIRE, r"satire|satira|satirique|parody|parodie|humor"),
    (
        UNPROVEN,
        r"unproven|unverified|unsupported|no evidence|sin evidencia|sin pruebas"
        r"|insustentable|research in progress|unconfirmed|non prouve|inconclusive|unclear",
    ),
    (
        MISLEADING,
        r"misleading|missing context|out of context|enganoso|trompeur|sacado de contexto"
        r"|exaggerat|distort|cherry|spin|miscaptioned|misattributed|manipulad|fuera de contexto",
    ),
    (
        FALSE,
        r"\bfalse\b|\bfalso\b|\bfalsa\b|\bfaux\b|\bfausse\b|\bfake\b|pants on fire"
        r"|\bincorrect|\binaccurate|\buntrue\b|\bwrong\b|\bhoax\b|\bbulo\b|\bscam\b|four pinocchios"
        r"|\bfalsch\b|\bnot true\b|\bno es cierto\b|\bmentira\b|\bfabricated\b|\bdebunked\b",
    ),
    (
        TRUE,
        r"\btrue\b|\bcorrect\b|\baccurate\b|\bverdadero\b|\bcierto\b|\bvrai\b|\brichtig\b"
        r"|\bverdade\b|\bconfirmed\b|\blegit\b|geppetto",
    ),
]
_COMPILED = [(verdict, re.compile(pattern)) for verdict, pattern in _PATTERNS]


def normalised_verdict(
    label: str, *, value: int | None = None, worst: int | None = None, best: int | None = None
) -> str:
    """The verdict a rating means. With a numeric `value` on a scale from `worst` to `best`
    (our own ratings), its place on the scale decides unless the label is explicit."""
    folded = fold(label or "")
    for verdict, pattern in _COMPILED:
        if pattern.search(folded):
            return verdict
    if value is not None and worst is not None and best is not None and best > worst:
        share = (value - worst) / (best - worst)
        for limit, verdict in ((0.2, FALSE), (0.4, MOSTLY_FALSE), (0.6, MIXED), (0.8, MOSTLY_TRUE)):
            if share < limit:
                return verdict
        return TRUE
    return OTHER
