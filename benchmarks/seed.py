"""Seed a scratch PostgreSQL database with published fact checks, fast, for the benchmarks.

`seed(reviews=N, evidence=E)` fills a migrated, empty database with

- N published reviews of our own (ids 1..N, newest last, one every 5 minutes back from a day
  ago), each of its own claim, rated on the default scale (False and Mostly false most often),
  with E evidence items citing shared sources, one author of 5 staff users, and a correction on
  every tenth (which sets its `date_modified`);
- N/50 more claims with a draft review each (the newsroom's work in progress, never public);
- 500 claimants (a few say most of the claims), 30 topics (one or two per claim), one or two
  appearances per claim (the first marked), N/2 sources.

Texts have the lengths of real fact checks (a claim of 80 to 300 characters, a summary of two
or three sentences, a body of 3,000 to 6,000 characters in paragraphs) and are drawn from pools
generated in Python with a fixed seed; PostgreSQL then assembles the rows itself
(`INSERT ... SELECT` over `generate_series`), so no row crosses the wire one by one: about
20 s for 100,000 reviews and a few minutes for 1,000,000 on 2 cores. `search_text` is computed
in SQL the way claims.search.fold() computes it for these texts (ASCII but for a few lower-case
accented letters); `check_search_text()` verifies a sample against fold().

Only PostgreSQL: it is what the throughput benchmark measures.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils.text import slugify

from core.text import fold

SEED_VERSION = "1"
MARKER_TABLE = "bench_seed"
STEP_SECONDS = 300  # between two publications
CLAIMANTS = 500
TOPICS = 30
USERS = 5

# A vocabulary for the generated prose; the accented words let search fold something.
WORDS = (  # noqa: SIM905  (prose, kept readable)
    "the a of to in and that for is on with as was by at from it this be are have has said "
    "government minister president senator council budget tax taxes health hospital vaccine "
    "vaccines doctors nurses school schools teachers students university crime police prison "
    "immigration immigrants border jobs unemployment wages inflation prices energy electricity "
    "gas oil climate emissions carbon renewable wind solar water housing rent homes election "
    "votes voters ballot poll survey report study data figures statistics percent million "
    "billion thousand increase decrease rise fall double half record highest lowest since year "
    "years decade month week official statement interview speech debate campaign party "
    "opposition parliament congress law bill court judge ruling rüssians café naïve élite "
    "spending cuts deficit debt economy growth trade exports imports farmers food safety "
    "transport roads trains airport pensions benefits welfare children families women men "
    "young older people country city region national local public private companies workers "
    "union strike protest army defence security war peace refugees asylum europe china india "
    "america africa video post social media viral claim claims false true misleading evidence "
    "source sources according shows showed found analysis context however but not only more "
    "less than over under about nearly almost every each most many few new old first last"
).split()
ASCII_WORDS = [w for w in WORDS if w.isascii()]
TITLES = ("Senator", "Minister of Health", "Mayor", "Member of Parliament", "Governor", "")
VENUES = (
    "A television interview",
    "A campaign rally",
    "A post on social media",
    "A parliamentary debate",
    "A press conference",
    "A radio phone-in",
    "A newspaper column",
    "A hearing of the budget committee",
)
OUTLETS = (
    ("Office for National Statistics", "ons.example.gov.uk", "official_record"),
    ("The Daily Record", "dailyrecord.example.com", "news_report"),
    ("World Health Data", "who-data.example.org", "dataset"),
    ("Hansard", "hansard.example.parliament.uk", "transcript"),
    ("Reuters Wire", "wire.example.net", "news_report"),
    ("Ministry of Finance", "finance.example.gov", "statement"),
    ("Open Data Portal", "data.example.eu", "dataset"),
    ("City Council Minutes", "council.example.org", "official_record"),
)
# (slug, weight): how often each rating of the default scale is given.
RATING_WEIGHTS = (
    ("false", 30),
    ("mostly-false", 20),
    ("misleading", 15),
    ("half-true", 12),
    ("mostly-true", 10),
    ("true", 8),
    ("unproven", 5),
)
CORRECTION_KINDS = ("correction", "update", "clarification", "verdict_change")
STANCES = ("refutes", "supports", "context")


class Pools:
    """Deterministic texts the SQL assembles rows from."""

    def __init__(self, seed: int = 13) -> None:
        self.rng = random.Random(seed)

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high)))

    def sentence(self, low: int = 8, high: int = 22) -> str:
        text = self.words(low, high)
        if not text[0].isascii():  # upper-case accents would need a fold SQL has not got
            text = "the " + text
        return text[0].upper() + text[1:] + "."

    def chars(self, low: int, high: int, *, sentence_words: tuple[int, int] = (8, 22)) -> str:
        """Sentences up to a length between `low` and `high` characters."""
        target = self.rng.randint(low, high)
        out: list[str] = []
        size = 0
        while size < target:
            s = self.sentence(*sentence_words)
            out.append(s)
            size += len(s) + 1
        return " ".join(out)

    def body(self) -> str:
        target = self.rng.randint(3000, 6000)
        paragraphs: list[str] = []
        size = 0
        while size < target:
            p = self.chars(250, 700)
            paragraphs.append(p)
            size += len(p) + 2
        return "\n\n".join(paragraphs)


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY `rows` into `table`, in the current transaction."""
    cols = ", ".join(f'"{c}"' for c in columns)
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _exec(sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _make_pools(pools: Pools, sizes: dict[str, int]) -> None:
    """Temporary tables of texts, indexed 0..size-1."""
    _exec(
        """
        CREATE TEMP TABLE pool_claim (slot int PRIMARY KEY, text text, short_text text,
            slug text, venue text) ON COMMIT DROP;
        CREATE TEMP TABLE pool_review (slot int PRIMARY KEY, headline text, summary text)
            ON COMMIT DROP;
        CREATE TEMP TABLE pool_body (slot int PRIMARY KEY, body text) ON COMMIT DROP;
        CREATE TEMP TABLE pool_evidence (slot int PRIMARY KEY, quote text, note text)
            ON COMMIT DROP;
        CREATE TEMP TABLE pool_note (slot int PRIMARY KEY, note text) ON COMMIT DROP;
        """
    )
    claims = []
    for i in range(sizes["p_claim"]):
        text = pools.chars(80, 300, sentence_words=(10, 30))
        short = pools.sentence(5, 10)[:75].rstrip(" .") if i % 5 else ""
        slug = slugify(short or text)[:60].strip("-") or "claim"
        claims.append((i, text, short, slug, pools.rng.choice(VENUES)))
    _copy("pool_claim", ["slot", "text", "short_text", "slug", "venue"], claims)
    _copy(
        "pool_review",
        ["slot", "headline", "summary"],
        (
            (i, pools.sentence(7, 14)[:-1][:300], pools.chars(150, 450))
            for i in range(sizes["p_review"])
        ),
    )
    _copy("pool_body", ["slot", "body"], ((i, pools.body()) for i in range(sizes["p_body"])))
    _copy(
        "pool_evidence",
        ["slot", "quote", "note"],
        (
            (i, pools.chars(100, 400), pools.chars(40, 200) if i % 3 == 0 else "")
            for i in range(sizes["p_evidence"])
        ),
    )
    _copy(
        "pool_note", ["slot", "note"], ((i, pools.chars(60, 250)) for i in range(sizes["p_note"]))
    )


def _claimants_topics_users(pools: Pools, now: datetime.datetime) -> None:
    from django.contrib.auth.models import User

    rows = []
    for i in range(1, CLAIMANTS + 1):
        organisation = i % 7 == 0
        first, last = pools.rng.choice(ASCII_WORDS).title(), pools.rng.choice(ASCII_WORDS).title()
        name = f"{first} {last} {'Group' if organisation else ''}".strip()
        same_as = (
            f'["https://en.wikipedia.example.org/wiki/{first}_{last}_{i}", '
            f'"https://www.wikidata.example.org/wiki/Q{1000 + i}"]'
            if i % 3
            else "[]"
        )
        rows.append(
            (
                i,
                name,
                f"{slugify(name)}-{i}",
                "organization" if organisation else "person",
                "" if organisation else TITLES[i % len(TITLES)],
                pools.chars(0, 300),
                same_as,
                f"https://images.example.org/claimants/{i}.jpg" if i % 4 == 0 else "",
                now,
                now,
                fold(name)[:200],
            )
        )
    _copy(
        "claims_claimant",
        [
            "id",
            "name",
            "slug",
            "kind",
            "job_title",
            "description",
            "same_as",
            "image_url",
            "created_at",
            "updated_at",
            "folded_name",
        ],
        rows,
    )
    topics = [
        f"{pools.rng.choice(ASCII_WORDS).title()} {pools.rng.choice(ASCII_WORDS)} {i}"
        for i in range(1, TOPICS + 1)
    ]
    _copy(
        "claims_topic",
        ["id", "name", "slug"],
        ((i, name, slugify(name)) for i, name in enumerate(topics, start=1)),
    )
    User.objects.bulk_create(
        User(
            username=f"bench-factchecker-{i}",
            first_name="Fact",
            last_name=f"Checker {i}",
            email=f"factchecker{i}@factcheck.example.org",
            is_staff=True,
            password="!",  # unusable: nobody signs in as them
        )
        for i in range(1, USERS + 1)
    )


def _rating_case() -> str:
    """A CASE picking a default-scale rating id from `h` (a number 0..99), by RATING_WEIGHTS."""
    from claims.models import Rating

    ids = dict(Rating.objects.filter(scale__is_default=True).values_list("slug", "pk"))
    parts, upto = [], 0
    for slug, weight in RATING_WEIGHTS:
        upto += weight
        parts.append(f"WHEN h < {upto} THEN {ids[slug]}")
    assert upto == 100
    return "CASE " + " ".join(parts) + f" ELSE {ids['false']} END"


def seed(reviews: int, evidence: int = 3, *, progress: bool = True, vacuum: bool = True) -> float:
    """Fill the (migrated, empty) database; return the seconds it took.

    `vacuum=False` leaves out the final VACUUM ANALYZE (which cannot run in a transaction, as
    in a test).
    """
    from django.contrib.auth.models import User

    from claims.models import Review

    if Review.objects.exists():
        raise RuntimeError("the database already holds reviews: seed an empty one")
    started = time.perf_counter()
    n, drafts = reviews, max(1, reviews // 50)
    total = n + drafts
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    newest = now - datetime.timedelta(days=1)
    t0 = newest - datetime.timedelta(seconds=STEP_SECONDS * n)  # review i: t0 + i * STEP
    sources = max(100, n // 2)
    pools = Pools()
    # Fewer texts for a tiny database (a test), the same ones from 5,000 reviews up.
    sizes = {
        "p_claim": min(5000, max(100, total)),
        "p_review": min(5000, max(100, total)),
        "p_body": min(1000, max(20, total)),
        "p_evidence": min(3000, max(100, total * evidence)),
        "p_note": min(500, max(20, n // 10 + 1)),
    }

    def step(label: str) -> None:
        if progress:
            print(f"  seed: {label} ({time.perf_counter() - started:.1f} s)", flush=True)

    with transaction.atomic():
        # The rows are consistent by construction: skip the per-row foreign key triggers (each
        # would also lock the referenced row, rewriting every review once per evidence item).
        _exec("SET LOCAL session_replication_role = replica")
        _make_pools(pools, sizes)
        _claimants_topics_users(pools, now)
        user_ids = list(
            User.objects.filter(username__startswith="bench-").values_list("pk", flat=True)
        )
        step("pools, claimants, topics")
        params = {
            "n": n,
            "total": total,
            "t0": t0,
            "step": datetime.timedelta(seconds=STEP_SECONDS),
            "now": now,
            "sources": sources,
            "claimants": CLAIMANTS,
            "topics": TOPICS,
            "user0": min(user_ids),
            "users": USERS,
            "evidence": evidence,
            **sizes,
        }
        outlets = ", ".join(f"('{name}', '{domain}', '{kind}')" for name, domain, kind in OUTLETS)
        # Sources: a URL per document, normalised as sources.normalize would store it.
        _exec(
            f"""
            WITH outlet(name, domain, kind, k) AS (
                SELECT o.*, row_number() OVER () - 1 FROM (VALUES {outlets}) o
            )
            INSERT INTO sources_source (id, url, title, publisher, author, date_published,
                archived_url, accessed_at, kind, created_at, updated_at)
            SELECT s,
                'https://' || o.domain || '/' || (2015 + s %% 10) || '/' || pc.slug || '-' || s,
                left(pc.text, 120), o.name,
                CASE WHEN s %% 3 = 0 THEN 'Staff reporter' ELSE '' END,
                DATE '2015-01-01' + (s %% 3650),
                CASE WHEN s %% 4 = 0 THEN 'https://web.archive.example.org/web/2020/' || s
                     ELSE '' END,
                DATE '2020-01-01' + (s %% 1500), o.kind, %(now)s, %(now)s
            FROM generate_series(1, %(sources)s) s
            JOIN outlet o ON o.k = s %% {len(OUTLETS)}
            JOIN pool_claim pc ON pc.slot = (s * 7) %% %(p_claim)s
            """,
            params,
        )
        step(f"{sources:,} sources")
        # Claims 1..n have a published review, n+1..total a draft. A few claimants say most.
        _exec(
            """
            INSERT INTO claims_claim (id, text, short_text, slug, date_claimed, venue,
                language, created_at, updated_at, claimant_id)
            SELECT i, pc.text, pc.short_text, pc.slug || '-' || i,
                (%(t0)s + i * %(step)s - interval '3 days')::date, pc.venue,
                CASE WHEN i %% 20 = 0 THEN 'es' WHEN i %% 33 = 0 THEN 'fr' ELSE 'en' END,
                %(t0)s + i * %(step)s - interval '2 days',
                %(t0)s + i * %(step)s - interval '2 days',
                1 + floor(%(claimants)s * power(((i * 2654435761) %% 1000003) / 1000003.0, 3))
            FROM generate_series(1, %(total)s) i
            JOIN pool_claim pc ON pc.slot = (i * 31) %% %(p_claim)s
            """,
            params,
        )
        _exec(
            """
            INSERT INTO claims_claim_topics (claim_id, topic_id)
            SELECT i, 1 + i %% %(topics)s FROM generate_series(1, %(total)s) i
            UNION ALL
            SELECT i, 1 + (i / 3 + 7) %% %(topics)s FROM generate_series(3, %(total)s, 3) i
            """,
            params,
        )
        _exec(
            """
            INSERT INTO claims_appearance (url, archived_url, title, date, first, "order",
                claim_id)
            SELECT 'https://video.example.org/watch/' || i,
                CASE WHEN i %% 2 = 0 THEN 'https://web.archive.example.org/web/2021/' || i
                     ELSE '' END,
                'TV interview', (%(t0)s + i * %(step)s - interval '3 days')::date, true, 0, i
            FROM generate_series(1, %(total)s) i
            UNION ALL
            SELECT 'https://social.example.com/posts/' || i, '', 'Social media post',
                (%(t0)s + i * %(step)s - interval '1 day')::date, false, 1, i
            FROM generate_series(3, %(total)s, 3) i
            """,
            params,
        )
        step(f"{total:,} claims with topics and appearances")
        _exec(
            f"""
            INSERT INTO claims_review (id, rating_label, external_url, headline, summary, body,
                language, status, version, publish_at, date_published, date_modified,
                withdrawn_at, withdrawal_note, created_at, updated_at, approved_by_id, claim_id,
                created_by_id, published_by_id, publisher_id, rating_id, search_text,
                canonical_url, import_digest, verdict)
            SELECT c.id, '', '', pr.headline, pr.summary, pb.body, c.language,
                CASE WHEN c.id <= %(n)s THEN 'published' ELSE 'draft' END,
                CASE WHEN c.id %% 10 = 0 THEN 2 ELSE 1 END,
                p.at, p.at,
                CASE WHEN c.id %% 10 = 0 THEN p.at + interval '3 days' END,
                NULL, '', coalesce(p.at, %(now)s) - interval '1 day', coalesce(p.at, %(now)s),
                CASE WHEN c.id <= %(n)s THEN %(user0)s + (c.id + 1) %% %(users)s END,
                c.id, %(user0)s + c.id %% %(users)s,
                CASE WHEN c.id <= %(n)s THEN %(user0)s + (c.id + 2) %% %(users)s END,
                NULL, {_rating_case()},
                -- claims.search.fold() of these ASCII-and-lower-case-accents texts
                translate(lower(concat_ws(' ', c.text, nullif(c.short_text, ''), ct.name,
                    pr.headline, nullif(pr.summary, ''))), 'üéïá', 'ueia'),
                -- our reviews carry no import key, digest or normalised verdict
                '', '', ''
            FROM claims_claim c
            JOIN claims_claimant ct ON ct.id = c.claimant_id
            JOIN pool_review pr ON pr.slot = (c.id * 17) %% %(p_review)s
            JOIN pool_body pb ON pb.slot = (c.id * 13) %% %(p_body)s
            CROSS JOIN LATERAL (SELECT (c.id * 2654435761) %% 100 AS h) r
            CROSS JOIN LATERAL (
                SELECT CASE WHEN c.id <= %(n)s THEN %(t0)s + c.id * %(step)s END AS at
            ) p
            """,
            params,
        )
        _exec(
            """
            INSERT INTO claims_review_authors (review_id, user_id)
            SELECT i, %(user0)s + i %% %(users)s FROM generate_series(1, %(total)s) i
            """,
            params,
        )
        step(f"{total:,} reviews ({n:,} published)")
        stances = "ARRAY[" + ", ".join(f"'{s}'" for s in STANCES) + "]"
        _exec(
            f"""
            INSERT INTO claims_evidence (quote, stance, note, "order", source_id, review_id)
            SELECT pe.quote, ({stances})[1 + (r * 3 + k) %% 3], pe.note, k,
                1 + ((r::bigint * 48271 + k * 7919) %% %(sources)s), r
            FROM generate_series(1, %(total)s) r
            CROSS JOIN generate_series(0, %(evidence)s - 1) k
            JOIN pool_evidence pe ON pe.slot = (r * 3 + k * 1009) %% %(p_evidence)s
            """,
            params,
        )
        step(f"{total * evidence:,} evidence items")
        kinds = "ARRAY[" + ", ".join(f"'{k}'" for k in CORRECTION_KINDS) + "]"
        _exec(
            f"""
            INSERT INTO claims_correction (kind, note, created_at, created_by_id, review_id)
            SELECT ({kinds})[1 + (i / 10) %% 4], pn.note,
                %(t0)s + i * %(step)s + interval '3 days', %(user0)s + i %% %(users)s, i
            FROM generate_series(10, %(n)s, 10) i
            JOIN pool_note pn ON pn.slot = i %% %(p_note)s
            """,
            params,
        )
        for table in (
            "sources_source",
            "claims_claim",
            "claims_claimant",
            "claims_topic",
            "claims_review",
        ):
            _exec(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        _exec(
            f"""
            CREATE TABLE {MARKER_TABLE} (reviews int, evidence int, version text,
                seeded_at timestamptz, seconds float)
            """
        )
        _exec(
            f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s, %s, %s, %s)",
            [n, evidence, SEED_VERSION, now, time.perf_counter() - started],
        )
    step("committed")
    if vacuum:
        # An aged database has been vacuumed (visibility map: index-only scans) and analysed.
        _exec("VACUUM ANALYZE")
        step("vacuumed and analysed")
    seconds = time.perf_counter() - started
    _exec(f"UPDATE {MARKER_TABLE} SET seconds = %s", [seconds])
    return seconds


def seeded() -> tuple[int, int, str] | None:
    """(reviews, evidence, seed version) of a seeded database, or None."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT reviews, evidence, version FROM {MARKER_TABLE}")
        row = cursor.fetchone()
    return (row[0], row[1], row[2]) if row else None


def check_search_text(sample: int = 500) -> int:
    """How many of `sample` seeded reviews have a search_text other than claims.search's."""
    from claims.models import Review
    from claims.search import search_text

    rows = Review.objects.order_by("?").values_list(
        "search_text",
        "claim__text",
        "claim__short_text",
        "claim__claimant__name",
        "headline",
        "summary",
    )[:sample]
    return sum(1 for stored, *parts in rows if stored != search_text(*parts))
