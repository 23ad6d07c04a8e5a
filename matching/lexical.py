"""The words of a text as the lexical (BM25) stage of matching counts them.

A text is folded (core.text.fold: lower case, no accents), split into words, stripped of the
commonest function words of its language and stemmed with that language's Snowball stemmer
("communications" and "communication" are one term), so "talked to the Russians" shares
`talk` and `russian` with "talks with Russians". A language Snowball does not know keeps its
words unstemmed. The same function serves the stored claims and the query, so both sides
always agree.

BM25 (Robertson and Zaragoza's Okapi weighting, k1 = 1.2, b = 0.75) is computed in SQL from
the per-term weights this module computes (matching.index, matching.services).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache, lru_cache
from typing import Any

import snowballstemmer

from core.text import fold

K1 = 1.2
B = 0.75
# A term shorter than this is noise for matching ("a", "s" of "it's").
MIN_LENGTH = 2
MAX_TERM_LENGTH = 60
WORD = re.compile(r"[^\W_]+", re.UNICODE)

# BCP 47 primary tags -> Snowball algorithm names.
STEMMERS = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nl": "dutch",
    "no": "norwegian",
    "nb": "norwegian",
    "ne": "nepali",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}

# The function words that carry no matching signal and would each read a long list of
# postings. Folded, like the text. Other languages rely on BM25's IDF alone.
_ENGLISH = """a about above after again against all am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves"""
_SPANISH = """a al algo algunas algunos ante antes como con contra cual cuando de del desde donde
durante e el ella ellas ellos en entre era eran es esa esas ese eso esos esta estaba estas este
esto estos fue fueron ha han hasta hay la las le les lo los mas me mi mis mucho muy ni no nos o
os otra otro para pero poco por porque que quien se sea sin sobre son su sus tambien te tiene tu
un una uno unos y ya"""
STOP_WORDS = {"en": frozenset(_ENGLISH.split()), "es": frozenset(_SPANISH.split())}


def language_key(language: str | None) -> str:
    """The primary subtag of a BCP 47 tag, lower case ("pt-BR" -> "pt"); "" when unknown."""
    return (language or "").split("-", 1)[0].strip().lower()


@cache
def _stemmer(language: str) -> Any:
    algorithm = STEMMERS.get(language)
    return snowballstemmer.stemmer(algorithm) if algorithm else None


@lru_cache(maxsize=200_000)
def _stem(word: str, language: str) -> str:
    stemmer = _stemmer(language)
    return stemmer.stemWord(word) if stemmer else word


def terms(text: str, language: str | None = None) -> list[str]:
    """The terms of `text` in order, repeats kept (their count is the term frequency)."""
    key = language_key(language)
    stop = STOP_WORDS.get(key, frozenset())
    return [
        _stem(word, key)[:MAX_TERM_LENGTH]
        for word in WORD.findall(fold(text))
        if len(word) >= MIN_LENGTH and word not in stop
    ]


def term_counts(text: str, language: str | None = None) -> Counter[str]:
    return Counter(terms(text, language))


def weight(tf: int, length: int, average_length: float) -> float:
    """BM25's term-frequency part for a term occurring `tf` times in a text of `length` terms:
    the document side of the score, multiplied by the term's IDF at query time."""
    norm = K1 * (1 - B + B * length / max(average_length, 1.0))
    return tf * (K1 + 1) / (tf + norm)


def idf(documents: int, frequency: int) -> float:
    """BM25's inverse document frequency (the "+1" variant, never negative)."""
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


def idf_sql(documents: str, frequency: str) -> str:
    """`idf` as a PostgreSQL expression of two SQL expressions (integers), in double precision
    with the same operations in the same order, so both give the same value."""
    return f"ln(1 + ({documents} - {frequency} + 0.5::float8) / ({frequency} + 0.5::float8))"
