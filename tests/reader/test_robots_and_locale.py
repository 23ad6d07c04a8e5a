"""/robots.txt advertises the sitemap; og:locale is in Open Graph's ll_CC form."""

import pytest
from django.test import Client

from reader.templatetags.reader import og_locale
from tests.helpers import SITE, publish

pytestmark = pytest.mark.django_db


def test_robots_txt_advertises_the_sitemap_and_keeps_crawlers_out_of_the_admin() -> None:
    response = Client().get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "User-agent: *" in lines


@pytest.mark.parametrize(
    ("language", "locale"),
    [("en", "en_US"), ("en-GB", "en_GB"), ("pt-br", "pt_BR"), ("fr", "fr_FR"),
     ("sr-Latn-RS", "sr_RS"), ("pt", "pt_BR"), ("", "en_US")],
)  # fmt: skip
def test_og_locale_is_ll_cc(language: str, locale: str) -> None:
    assert og_locale(language) == locale


def test_the_claim_page_carries_og_locale_as_ll_cc() -> None:
    review = publish(language="en")
    html = Client().get(f"/claims/{review.claim.slug}/").content.decode()
    assert '<meta property="og:locale" content="en_US">' in html
