"""Template helpers for the reader site: safe JSON-LD, safe links, site settings."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Characters that could end the <script> element or an HTML comment, or break a JavaScript
# string, written as JSON escapes: the JSON means the same, the HTML parser sees no markup.
_SCRIPT_SAFE = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def jsonld_text(data: Any) -> str:
    """`data` as JSON that is safe inside a <script> element (no <, >, &, U+2028, U+2029)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)


@register.simple_tag
def jsonld(data: Any) -> SafeString:
    """`<script type="application/ld+json">` holding `data`; no text in it can close the
    element, whatever the claim or review says."""
    return mark_safe(f'<script type="application/ld+json">{jsonld_text(data)}</script>')  # noqa: S308


@register.filter
def http_url(value: str) -> str:
    """`value` if it is an http(s) URL, else "" (a `javascript:` link never reaches a page)."""
    value = (value or "").strip()
    return value if urlsplit(value).scheme in {"http", "https"} else ""


@register.filter
def hostname(value: str) -> str:
    """The host of a URL without "www.", for "on example.org" captions."""
    host = urlsplit(value or "").hostname or ""
    return host.removeprefix("www.")


@register.simple_tag
def publisher_name() -> str:
    return str(settings.FACTCHECK_PUBLISHER_NAME)


# The usual region of a language, for Open Graph's `og:locale` (ll_CC) when a review's
# language tag names none ("en" -> "en_US"); otherwise the tag's own region is used.
DEFAULT_REGIONS = {
    "ar": "SA", "bn": "BD", "cs": "CZ", "da": "DK", "el": "GR", "en": "US", "et": "EE",
    "fa": "IR", "he": "IL", "hi": "IN", "ja": "JP", "ko": "KR", "ms": "MY", "nb": "NO",
    "pt": "BR", "sl": "SI", "sr": "RS", "sv": "SE", "uk": "UA", "ur": "PK", "vi": "VN",
    "zh": "CN",
}  # fmt: skip


@register.filter
def og_locale(language: str) -> str:
    """A BCP 47 tag as Open Graph's ll_CC: "en" -> "en_US", "en-GB" -> "en_GB",
    "sr-Latn-RS" -> "sr_RS", "fr" -> "fr_FR"."""
    parts = [part for part in (language or "").replace("_", "-").split("-") if part]
    if not parts or not parts[0].isalpha():
        return "en_US"
    lang = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    return f"{lang}_{region or DEFAULT_REGIONS.get(lang, lang.upper())}"
