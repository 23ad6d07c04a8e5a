import pytest
from django.core.exceptions import ValidationError

from sources.normalize import normalize_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://Example.ORG/Report", "https://example.org/Report"),
        ("HTTPS://example.org/a", "https://example.org/a"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
        ("https://example.org/a/", "https://example.org/a"),
        ("https://example.org/a///", "https://example.org/a"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/", "https://example.org/"),
        ("https://example.org/a?utm_source=x&id=3&utm_medium=y", "https://example.org/a?id=3"),
        ("https://example.org/a?fbclid=abc", "https://example.org/a"),
        ("https://example.org/a?gclid=1&UTM_Campaign=2&q=x", "https://example.org/a?q=x"),
        ("https://example.org/a#section-2", "https://example.org/a"),
        ("  https://example.org/a  ", "https://example.org/a"),
        ("https://user:secret@example.org/a", "https://example.org/a"),
        ("https://[2001:DB8::1]:443/a", "https://[2001:db8::1]/a"),
        (
            "https://example.org/search?q=caf%C3%A9&page=2",
            "https://example.org/search?q=caf%C3%A9&page=2",
        ),
    ],
)
def test_normalize_url(given: str, expected: str) -> None:
    assert normalize_url(given) == expected


def test_normalize_url_is_idempotent() -> None:
    url = normalize_url("HTTP://Example.org:80/a/b/?utm_source=t&x=1#top")
    assert normalize_url(url) == url == "http://example.org/a/b?x=1"


@pytest.mark.parametrize(
    "bad",
    ["", "example.org/a", "ftp://example.org/a", "javascript:alert(1)", "https://", "http://[::1"],
)
def test_normalize_url_refuses_what_is_not_an_absolute_http_url(bad: str) -> None:
    with pytest.raises(ValidationError):
        normalize_url(bad)
