"""URL fields refuse invisible and direction-changing characters in hosts (core.validators)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claimant
from core.validators import validate_visible_host
from sources.models import Source
from tests.helpers import api

pytestmark = pytest.mark.django_db

SPOOFED = [
    "https://exa\u202emple.org/",  # right-to-left override
    "https://exa\u200bmple.org/",  # zero-width space
    "https://example.org\u2066/",  # left-to-right isolate
    "https://exa\ufeffmple.org/",  # byte order mark
    "https://exa\u3164mple.org/",  # Hangul filler
]


@pytest.mark.parametrize("url", SPOOFED)
def test_an_invisible_character_in_the_host_is_refused(url: str) -> None:
    with pytest.raises(ValidationError):
        validate_visible_host(url)


@pytest.mark.parametrize(
    "url", ["https://example.org/", "https://bücher.example/", "https://example.org/a\u202eb"]
)
def test_visible_hosts_pass(url: str) -> None:
    validate_visible_host(url)  # the path is not the host: shown as typed, harmless


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        ("/api/v1/sources/", {"url": SPOOFED[0], "title": "T"}, "url"),
        ("/api/v1/sources/", {"url": "https://e.org/", "title": "T", "archived_url": SPOOFED[1]},
         "archived_url"),
        ("/api/v1/claimants/", {"name": "J", "image_url": SPOOFED[0]}, "image_url"),
        ("/api/v1/claimants/", {"name": "J", "same_as": [SPOOFED[2]]}, "same_as"),
        ("/api/v1/claims/", {"text": "Said.", "appearances": [{"url": SPOOFED[0]}]}, "appearances"),
    ],
)  # fmt: skip
def test_the_api_refuses_a_spoofed_host_naming_the_field(
    editor, url: str, payload: dict, field: str
) -> None:  # type: ignore[no-untyped-def]
    response = api(editor).post(url, payload, format="json")
    assert response.status_code == 400, response.json()
    assert list(response.json()) == [field]
    assert not (Source.objects.exists() or Claimant.objects.exists())
