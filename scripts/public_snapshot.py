"""Write every public output of a database to a folder, to compare two versions of the code.

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 python scripts/public_snapshot.py OUT_DIR

Fetches, through Django's test client, the reader pages (home and its pages and rating filters,
every claim page and embed card, every claimant page, searches, methodology, corrections, the
rating stylesheet, the Atom feed, the sitemaps), the public API (the ClaimReview list followed
through its `next` links and with each filter, every ClaimReview as JSON and JSON-LD, the
ratings, the DataFeed), claims:search, the OpenAPI document, and the editorial API as the demo
publisher. Each response becomes one file: status, the headers that do not change from run to
run, and the body. Validators (ETag, Last-Modified) are left out: they change with every
deploy by design. Run it on the same database file before and after a change and `diff -r`
the two folders: a refactoring that changes no public output leaves no difference.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("SECRET_KEY", "snapshot-only")
os.environ.setdefault("FACTCHECK_SITE_URL", "https://factcheck.example.org")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Static files from the finders, as in the tests: no collectstatic needed, stable URLs.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.contrib.auth.models import User  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from claims.models import Claimant, Rating, Review  # noqa: E402

KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Cache-Control",
    "Vary",
    "X-Robots-Tag",
    "Content-Security-Policy",
    "X-Frame-Options",
    "Location",
)
SEARCHES = ["russians", "Sessions", "RÜSSIANS", "vaccine", "trump hicks", "zzzz", ""]


# Signed cursors carry the time they were signed at: "<payload>:<timestamp>:<signature>".
SIGNED = re.compile(rb"(cursor=[^%&\"]+)%3A[^&\"]+")
NOW = datetime.datetime.now(datetime.UTC)
ISO_TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)")


def stable(body: bytes) -> bytes:
    """`body` without what changes from run to run: cursor signatures, and times within ten
    minutes of now (a draft's preview is dated "if published now"; the feed's own date is when
    the public data last changed)."""

    def near_now(match: re.Match[bytes]) -> bytes:
        text = match.group().decode().replace("Z", "+00:00")
        moment = datetime.datetime.fromisoformat(text)
        return b"<now>" if abs((moment - NOW).total_seconds()) < 600 else match.group()

    return ISO_TIME.sub(near_now, SIGNED.sub(rb"\1", body))


def name_for(url: str, accept: str) -> str:
    url = stable(url.encode()).decode()
    digest = hashlib.sha256(f"{url}|{accept}".encode()).hexdigest()[:10]
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in url.strip("/"))[:80]
    return f"{safe or 'root'}-{digest}.txt"


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    anonymous = Client()
    publisher = User.objects.filter(groups__name="Publishers").order_by("pk").first()
    editorial = None
    if publisher is not None:
        token, _ = Token.objects.get_or_create(user=publisher)
        editorial = Client(headers={"Authorization": f"Token {token.key}"})

    fetched: set[tuple[str, str]] = set()

    def fetch(url: str, *, accept: str = "", client: Client | None = None) -> bytes:
        key = (url, accept)
        if key in fetched:
            return b""
        fetched.add(key)
        headers = {"Accept": accept} if accept else {}
        response = (client or anonymous).get(url, headers=headers)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        lines = [f"GET {url} Accept: {accept or '-'}", f"status {response.status_code}"]
        for header in KEPT_HEADERS:
            if header in response:
                value = response[header]
                if header == "Content-Security-Policy":  # directives come in any order
                    value = "; ".join(sorted(value.split("; ")))
                lines.append(f"{header}: {value}")
        page = "\n".join(lines).encode() + b"\n\n" + body
        (out / name_for(url, accept)).write_bytes(stable(page))
        return body

    pages = Review.objects.filter(publisher__isnull=True).filter(
        Q(status="published") | Q(status="withdrawn")
    )
    slugs = sorted(set(pages.values_list("claim__slug", flat=True)))
    for url in ["/", "/?page=2", "/?page=99", "/ratings/", "/corrections/", "/ratings.css"]:
        fetch(url)
    for slug in Rating.objects.values_list("slug", flat=True):
        fetch(f"/?rating={slug}")
        fetch(f"/api/v1/claim-reviews/?rating={slug}")
    fetch("/?rating=nope")
    for slug in slugs:
        fetch(f"/claims/{slug}/")
        fetch(f"/claims/{slug}/embed/")
        fetch(f"/api/v1/claim-reviews/{slug}/")
        fetch(f"/api/v1/claim-reviews/{slug}/", accept="application/ld+json")
    for slug in Claimant.objects.values_list("slug", flat=True):
        fetch(f"/claimants/{slug}/")
        fetch(f"/api/v1/claim-reviews/?claimant={slug}")
    for query in SEARCHES:
        fetch(f"/search/?q={quote(query)}")
        fetch(f"/api/v1/claim-reviews/?q={quote(query)}")
        if query:
            fetch(f"/api/google/v1alpha1/claims:search?query={quote(query)}")
    for url in [
        "/feeds/latest/",
        "/sitemap.xml",
        "/sitemap-claims.xml",
        "/sitemap-claimants.xml",
        "/sitemap-pages.xml",
        "/api/v1/ratings/",
        "/api/v1/feed/",
        "/api/v1/claim-reviews/?language=en",
        "/api/v1/claim-reviews/?ordering=modified",
        "/api/v1/claim-reviews/?page_size=0",
        "/api/v1/claim-reviews/?published_after=2017-01-01T00:00:00Z",
        "/api/google/v1alpha1/claims:search?reviewPublisherSiteFilter=factcheck.example.org",
        "/api/google/v1alpha1/claims:search?query=russians&pageSize=1",
        "/api/google/v1alpha1/claims:search",
        "/api/schema/",
        "/claims/no-such-claim/",
        "/api/v1/no-such-thing/",
    ]:
        fetch(url)
    # Follow the list's cursor links (their tokens are signed, stable for one database).
    for ordering in ["-published", "published", "-modified"]:
        url: str | None = f"/api/v1/claim-reviews/?page_size=2&ordering={ordering}"
        while url:
            body = fetch(url)
            link = json.loads(body or b"{}").get("next")
            url = None if not link else (urlsplit(link).path + "?" + urlsplit(link).query)
    if editorial is not None:
        for url in [
            "/api/v1/reviews/",
            "/api/v1/claims/",
            "/api/v1/claimants/",
            "/api/v1/sources/",
            "/api/v1/reviews/?todo=publish",
        ]:
            fetch(url, client=editorial)
        for pk in Review.objects.filter(publisher__isnull=True).values_list("pk", flat=True):
            for suffix in ["", "history/", "claimreview/"]:
                fetch(f"/api/v1/reviews/{pk}/{suffix}", client=editorial)
    print(f"{len(fetched)} responses written to {out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
