#!/usr/bin/env python3
"""`make bench`: public read throughput against one gunicorn worker, as ratios to a limit.

    python benchmarks/throughput.py [--reviews 100000] [--duration 15] [--repeat 1]
        [--database-url postgres://postgres@127.0.0.1:5432/factcheck_bench_{reviews}]
        [--rounds 3] [--port 8820] [--redis redis://127.0.0.1:6379/12] [--reseed] [--no-scale]
        [--no-table]

1. Seeds a scratch PostgreSQL database (benchmarks.seed: `--reviews` published reviews with
   `--evidence` items each; 100,000 take about 20 s, 1,000,000 a few minutes), or reuses it when
   it already holds exactly that (a `bench_seed` table says what it holds). The database named
   by `--database-url` (default: factcheck_bench_<reviews> on the local server; `{reviews}` in
   the URL is replaced) is created when missing and dropped and re-seeded when it holds
   something else; a database with reviews but no `bench_seed` table is never touched.
2. Serves the site with ONE gunicorn sync worker and production settings (DEBUG off, a
   SECRET_KEY, FACTCHECK_SITE_URL, ALLOWED_HOSTS, static files collected, the worker timeout
   of gunicorn.conf.py, the in-process cache or `--redis`) through benchmarks.settings, whose
   URLconf adds the limit view (benchmarks.limit: the same first page from two values()
   queries and orjson). The anonymous throttle is raised out of the way (it still counts).
3. Loads each endpoint with `wrk -t1 -c2` (benchmarks/wrk.lua) for `--duration` seconds, in
   `--rounds` slices alternating with as many of the limit (ABBA order), and prints a table:
   requests per second, p50 (median of the slices) and p99 (the worst slice) latency, the
   limit's rate in the same slices and the ratio to it, beside the goal of issue 13, with the
   machine's load averages: on a shared machine the ratio holds better than either figure.
   "Uncached" rows send every request to a path no earlier request of the run used, whose
   answer depends on the part that differs, so no cache keyed on what it serves can answer it
   (the API keeps its JSON responses and the reader its pages in the shared cache):
   - the list: `published_before=<a distinct instant in the year 2999>`, a filter every
     review passes, so each answer is the first page, as from the plain URL (the limit gets the
     same parameter); the plain URL repeated is also shown;
   - the detail and the claim page: a different review's slug each time.
   "Cached" rows repeat one URL after a first request filled the cache; the 304 row repeats
   the list's URL with the ETag of its first answer.
4. Then the scale checks (skip with `--no-scale`; `--no-table` runs only these, single
   requests that a busy machine can time): the DataFeed downloaded whole (time, whether it
   parses as JSON with one item per published review, the worker's peak RSS), the ratings
   endpoint, a list page 90% deep against the first page, the reader home's deepest pages
   against its first, the deepest page of the claimant with most reviews, the review
   changelist of the admin signed in as a superuser. Each figure that has a target of issue
   13 (at 1,000,000 reviews) is printed beside it with PASS or FAIL. Every request has a
   timeout; a 500, a timeout or a worker killed mid-answer is reported as such.

Needs wrk (Debian: `apt-get install -y wrk`; not for `--no-table`) and PostgreSQL. Not part of
`make test`.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import math
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

SITE_URL = "https://factcheck.example.org"
SECRET_KEY = "throughput-benchmark-only-key-never-used-elsewhere-0123456789"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/factcheck_bench_{reviews}"
ADMIN_USERNAME = "bench-admin"
MIB = 1024 * 1024
HOME_PAGE_SIZE = 20  # claims.views.PAGE_SIZE

# (row label, goal as a ratio to the limit or None)
GOALS = {
    "list": 0.8,
    "detail": 1.0,
    "claim": 0.8,
    "claim-cached": 3.5,
    "search-cached": 3.5,
}

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
    "SECRET_KEY": SECRET_KEY,
    "FACTCHECK_SITE_URL": SITE_URL,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DEBUG": "0",
    # The throttle still reads and writes its counter on every API request, as in production.
    "FACTCHECK_ANON_THROTTLE_RATE": "1000000000/min",
    "LOG_LEVEL": "WARNING",
}


def database_url(raw: str, reviews: int) -> str:
    return raw.replace("{reviews}", str(reviews))


# --- the database -----------------------------------------------------------------------------


def prepare_database(url: str, reviews: int, evidence: int, *, reseed: bool) -> str:
    """Make the database at `url` hold the asked-for data; say what was done."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit(f"--database-url must be postgres://.../<name>, got {url!r}")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise SystemExit(f"cannot reach PostgreSQL at {admin_url}: {exc}") from None
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')

    from django.core.management import call_command
    from django.db import connection

    from benchmarks import seed
    from claims.models import Review

    call_command("migrate", verbosity=0, interactive=False)
    held = seed.seeded()
    if held == (reviews, evidence, seed.SEED_VERSION) and not reseed:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT seeded_at, seconds FROM {seed.MARKER_TABLE}")
            seeded_at, seconds = cursor.fetchone()
        return (
            f"reused database {name}: {reviews:,} reviews x {evidence} evidence, seeded "
            f"{seeded_at:%Y-%m-%d %H:%M} UTC in {seconds:.0f} s"
        )
    if held is None and Review.objects.exists():
        raise SystemExit(
            f"database {name} holds reviews but was not seeded by this benchmark: "
            "not touching it; name another with --database-url"
        )
    if held is not None or Review.objects.exists():
        connection.close()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        call_command("migrate", verbosity=0, interactive=False)
    print(f"seeding {name} with {reviews:,} reviews x {evidence} evidence ...", flush=True)
    seconds = seed.seed(reviews, evidence)
    wrong = seed.check_search_text()
    if wrong:
        raise SystemExit(f"seeding is wrong: {wrong} of 500 sampled search_text differ")
    return f"seeded database {name}: {reviews:,} reviews x {evidence} evidence in {seconds:.1f} s"


# --- the server -------------------------------------------------------------------------------


@dataclass
class Server:
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            str(BIN / "gunicorn"),
            "factcheck.wsgi:application",
            "--chdir",
            str(ROOT),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "1",
            "--worker-class",
            "sync",
            # production's gunicorn settings (the worker timeout the DataFeed needs)
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--error-logfile",
            str(self.log),
            # not a shared socket in the home directory, which other servers may use
            "--no-control-socket",
        ]
        self.process = subprocess.Popen(command, env=self.env, cwd=ROOT)
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {self.log}")
            answer = fetch(self.port, "/bench/limit/?page_size=1", timeout=5)
            if answer.status == 200:
                return
            time.sleep(0.25)
        raise SystemExit(f"the server did not answer within {timeout:.0f} s; see {self.log}")

    def worker_pid(self) -> int | None:
        if self.process is None:
            return None
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            pids = children.read_text().split()
        except OSError:
            return None
        return int(pids[0]) if pids else None

    def killed(self, pid: int | None, wait: float = 5) -> bool:
        """Whether gunicorn killed worker `pid` for its timeout (it logs it), waiting a little."""
        deadline = time.monotonic() + wait
        while True:
            try:
                if f"WORKER TIMEOUT (pid:{pid})" in self.log.read_text(errors="replace"):
                    return True
            except OSError:
                pass
            if time.monotonic() > deadline:
                return False
            time.sleep(0.25)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def rss_kib(pid: int | None, field_name: str = "VmRSS") -> int | None:
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


# --- one request ------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int | str  # an HTTP status, or "timeout" / "error: ..." when there was none
    seconds: float
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def ok(self) -> bool:
        return self.status in (200, 304)


def fetch(
    port: int,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
    read_body: bool = True,
) -> Answer:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        body = response.read() if read_body else b""
        return Answer(
            response.status,
            time.perf_counter() - started,
            {k.lower(): v for k, v in response.getheaders()},
            body,
        )
    except TimeoutError:
        return Answer("timeout", time.perf_counter() - started)
    except (OSError, http.client.HTTPException) as exc:
        return Answer(f"error: {type(exc).__name__}", time.perf_counter() - started)
    finally:
        conn.close()


def describe(answer: Answer) -> str:
    if answer.ok:
        return f"{answer.seconds * 1000:.1f} ms"
    return f"FAILED ({answer.status}, after {answer.seconds:.1f} s)"


# --- the table --------------------------------------------------------------------------------


@dataclass
class Endpoint:
    key: str
    label: str
    paths: list[str]  # sent in turn; `distinct` rows never send one twice in a run
    expect: int = 200
    etag: str = ""
    distinct: bool = False


@dataclass
class Sample:
    """One wrk run of one endpoint."""

    good: int = 0  # responses with the expected status
    seconds: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    failure: str = ""
    reused: bool = False


def run_wrk(
    endpoint: Endpoint, paths: list[str], port: int, duration: int, scratch: Path
) -> Sample:
    """Check the endpoint answers `paths[0]` as expected, then load it with the rest."""
    probe = fetch(
        port,
        paths[0],
        headers={"If-None-Match": endpoint.etag} if endpoint.etag else None,
    )
    if probe.status != endpoint.expect:
        return Sample(failure=f"{probe.status} (expected {endpoint.expect})")
    load = paths[1:] if endpoint.distinct else paths
    listed = scratch / f"paths-{endpoint.key}.txt"
    listed.write_text("\n".join(load) + "\n")
    command = [
        "wrk",
        "-t1",
        "-c2",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(ROOT / "benchmarks" / "wrk.lua"),
        f"http://127.0.0.1:{port}",
        "--",
        str(listed),
        endpoint.etag,
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=duration + 60, check=False
        )
    except subprocess.TimeoutExpired:
        return Sample(failure="wrk did not finish")
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        return Sample(failure=f"wrk failed: {done.stderr.strip() or done.stdout[-300:]}")
    result = json.loads(line[len("BENCH ") :])
    statuses = {int(k): v for k, v in result["statuses"].items()}
    requests = result["requests"]
    sample = Sample(
        good=statuses.get(endpoint.expect, 0),
        seconds=result["duration_us"] / 1e6,
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        reused=endpoint.distinct and requests > len(load),
    )
    problems = [f"{n} x {s}" for s, n in sorted(statuses.items()) if s != endpoint.expect]
    errors = sum(result[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    if errors:
        problems.append(f"{errors} socket errors/timeouts")
    if problems:
        sample.failure = ", ".join(problems) + f" of {requests} requests"
    return sample


@dataclass
class Row:
    endpoint: Endpoint
    samples: list[Sample] = field(default_factory=list)
    limit: list[Sample] = field(default_factory=list)  # measured alongside, round by round

    @staticmethod
    def rate(samples: list[Sample]) -> float | None:
        seconds = sum(s.seconds for s in samples)
        return sum(s.good for s in samples) / seconds if seconds else None

    @property
    def rps(self) -> float | None:
        return self.rate(self.samples) if not self.failed else None

    @property
    def failed(self) -> str:
        return next((s.failure for s in self.samples if s.failure and not s.good), "")


def measure(
    endpoint: Endpoint, limit: Endpoint, port: int, duration: int, rounds: int, scratch: Path
) -> Row:
    """`rounds` alternations of the limit and the endpoint (ABBA), `duration` seconds each in
    all, every round on fresh paths of distinct rows: the ratio compares the two under the same
    machine load."""
    row = Row(endpoint)
    seconds = max(1, round(duration / rounds))
    for r in range(rounds):
        pair = [(limit, row.limit), (endpoint, row.samples)]
        for target, samples in pair if r % 2 == 0 else reversed(pair):
            size = len(target.paths) // rounds if target.distinct else len(target.paths)
            paths = target.paths[r * size : (r + 1) * size] if target.distinct else target.paths
            sample = run_wrk(target, paths, port, seconds, scratch)
            samples.append(sample)
            if sample.failure and not sample.good:
                return row  # e.g. a 500: report it, do not load a failing endpoint longer
    return row


def print_table(rows: list[Row], load: tuple[Any, Any]) -> None:
    print()
    print(
        "| endpoint | req/s | p50 ms | p99 ms | limit alongside, req/s | ratio to limit | goal | |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        goal = GOALS.get(row.endpoint.key)
        goal_text = f">= {goal}x" if goal else ""
        limit_rps = Row.rate(row.limit)
        limit_text = f"{limit_rps:.1f}" if limit_rps else "-"
        rps = row.rps
        if rps is None or not row.samples:
            print(
                f"| {row.endpoint.label} | FAILED: {row.failed or 'no sample'} | | | "
                f"{limit_text} | | {goal_text} | |"
            )
            continue
        ratio = rps / limit_rps if limit_rps else math.nan
        verdict = ("met" if ratio >= goal else "NOT met") if goal else ""
        notes = [s.failure for s in row.samples if s.failure]
        if any(s.reused for s in row.samples):
            notes.append("some paths were sent twice")
        p50 = statistics.median(s.p50_ms for s in row.samples)
        p99 = max(s.p99_ms for s in row.samples)
        extra = "; ".join([verdict, *notes]).strip("; ")
        print(
            f"| {row.endpoint.label} | {rps:.1f} | {p50:.1f} | {p99:.1f} | {limit_text} | "
            f"{ratio:.2f}x | {goal_text} | {extra} |"
        )
    all_limits = [s for row in rows for s in row.limit]
    rates = [s.good / s.seconds for s in all_limits if s.seconds]
    pooled = Row.rate(all_limits)
    if rates and pooled:
        print(
            f"\nlimit (`/bench/limit/?page_size=50&published_before=<distinct>`): {pooled:.1f} "
            f"req/s over the run, {min(rates):.1f} to {max(rates):.1f} in its "
            f"{len(rates)} slices; p50 "
            f"{statistics.median(s.p50_ms for s in all_limits):.1f} ms"
        )
    start, end = load
    print(
        f"load average (1, 5, 15 min): {start[0]:.2f} {start[1]:.2f} {start[2]:.2f} at start, "
        f"{end[0]:.2f} {end[1]:.2f} {end[2]:.2f} at end; {os.cpu_count()} CPUs"
    )


def before_values(run: int, count: int) -> list[str]:
    """`count` distinct instants in 2999 (every review was published before any of them)."""
    base = datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(days=run)
    return [
        (base + datetime.timedelta(microseconds=i)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        for i in range(count)
    ]


PATHS_PER_ROW = 20_000  # distinct paths per uncached row and run: more than it can send


def throughput_table(
    port: int, duration: int, rounds: int, run: int, slugs: list[str], scratch: Path
) -> float | None:
    """Print one table; return the limit's requests per second over the run."""
    per = PATHS_PER_ROW
    first = fetch(port, "/api/v1/claim-reviews/?page_size=50")
    etag = first.headers.get("etag", "")
    claim_slugs = slugs[(2 * run) * per : (2 * run + 1) * per]
    detail_slugs = slugs[(2 * run + 1) * per : (2 * run + 2) * per]
    cached_slug = slugs[-1 - run]
    list_url = "/api/v1/claim-reviews/?page_size=50"
    endpoints = [
        Endpoint(
            "list",
            "`/api/v1/claim-reviews/?page_size=50&published_before=<distinct>`, uncached",
            [f"{list_url}&published_before={v}" for v in before_values(1000 + run, per)],
            distinct=True,
        ),
        Endpoint(
            "list-plain",
            "`/api/v1/claim-reviews/?page_size=50`, one URL (the response cache)",
            [list_url],
        ),
        Endpoint("list-304", "same, conditional GET answered 304", [list_url], 304, etag),
        Endpoint(
            "detail",
            "`/api/v1/claim-reviews/<slug>/`, uncached (distinct slugs)",
            [f"/api/v1/claim-reviews/{s}/" for s in detail_slugs],
            distinct=True,
        ),
        Endpoint(
            "claim",
            "claim page `/claims/<slug>/`, uncached (distinct slugs)",
            [f"/claims/{s}/" for s in claim_slugs],
            distinct=True,
        ),
        Endpoint(
            "claim-cached", "claim page, cached (repeat of one URL)", [f"/claims/{cached_slug}/"]
        ),
        Endpoint("search-cached", "`/search/?q=hospital`, cached", ["/search/?q=hospital"]),
    ]
    start_load = os.getloadavg()
    rows = []
    for i, endpoint in enumerate(endpoints):
        limit = Endpoint(
            "limit",
            "limit",
            [
                f"/bench/limit/?page_size=50&published_before={v}"
                for v in before_values(run * 100 + i, per)
            ],
            distinct=True,
        )
        print(
            f"  {endpoint.key}: {rounds} rounds of {duration / rounds:.0f} s, alternating with "
            "the limit ...",
            flush=True,
        )
        rows.append(measure(endpoint, limit, port, duration, rounds, scratch))
    end_load = os.getloadavg()
    print(f"\nthroughput, run {run + 1}:")
    print_table(rows, (start_load, end_load))
    return Row.rate([s for row in rows for s in row.limit])


# --- scale checks -----------------------------------------------------------------------------


def measure_feed(server: Server, expected: int, limit_items_per_s: float | None) -> None:
    """Download /api/v1/feed/ whole, parse it as it streams, sample the worker's RSS."""
    import ijson

    pid = server.worker_pid()
    before = rss_kib(pid)
    peak = [before or 0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.1):
            value = rss_kib(pid)
            if value:
                peak[0] = max(peak[0], value)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    items = 0
    size = 0
    problem = ""
    status: int | str = "none"
    try:
        conn.request("GET", "/api/v1/feed/", headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        status = response.status

        class Counting:
            def read(self, n: int) -> bytes:
                nonlocal size
                chunk = response.read(n)
                size += len(chunk)
                return chunk

        for _ in ijson.items(Counting(), "dataFeedElement.item"):
            items += 1
    except ijson.JSONError as exc:
        problem = f"not valid JSON ({exc})"
    except (OSError, http.client.HTTPException) as exc:
        problem = f"connection ended ({type(exc).__name__})"
    finally:
        conn.close()
        stop.set()
        sampler.join()
    seconds = time.perf_counter() - started
    hwm = rss_kib(pid, "VmHWM")
    if not problem and items != expected:
        problem = f"{items:,} items, expected {expected:,}"
    if problem and server.killed(pid):
        problem += "; gunicorn killed the worker at its timeout"
    server.wait_ready()
    verdict = "complete, valid JSON: PASS" if not problem else f"FAILED: {problem}: FAIL"
    rate = items / seconds if seconds else 0
    ratio = (
        f"; {rate / limit_items_per_s:.2f}x the limit's reviews/s ({limit_items_per_s:,.0f})"
        if limit_items_per_s
        else ""
    )
    print(
        f"DataFeed /api/v1/feed/: HTTP {status}, {items:,} items, {size / MIB:,.1f} MiB in "
        f"{seconds:.1f} s ({rate:,.0f} reviews/s{ratio}): {verdict}"
    )
    if before:
        growth = (peak[0] - before) / 1024
        print(
            f"  worker RSS {before / 1024:.0f} MiB before, {peak[0] / 1024:.0f} MiB at its "
            f"highest while streaming (+{growth:.0f} MiB); "
            f"VmHWM {hwm / 1024 if hwm else 0:.0f} MiB (goal: flat, under +{FLAT_MEMORY_MIB} "
            f"MiB: {pass_fail(growth < FLAT_MEMORY_MIB)})"
        )


def timed(server: Server, paths: list[str], **kwargs: Any) -> tuple[float | None, str]:
    """Median time of GETting `paths` (ms), or None and what went wrong."""
    times = []
    for path in paths:
        answer = fetch(server.port, path, timeout=120, **kwargs)
        if not answer.ok:
            server.wait_ready()  # gunicorn may have killed the worker and be starting another
            return None, describe(answer)
        times.append(answer.seconds * 1000)
    return statistics.median(times), ""


def show(
    label: str,
    result: tuple[float | None, str],
    extra: str = "",
    *,
    goal_ms: float | None = None,
) -> float | None:
    """Print one figure (with PASS or FAIL against `goal_ms`, issue 13's target at 1M)."""
    value, problem = result
    text = f"{value:8.1f} ms" if value is not None else problem
    if goal_ms is not None:
        text += f"  (goal < {goal_ms:.0f} ms: {pass_fail(value is not None and value < goal_ms)})"
    print(f"  {label:<58} {text}{'  ' + extra if extra else ''}")
    return value


def pass_fail(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# A DataFeed streams with flat memory when the worker grows by less than this while streaming
# (it holds one chunk of FEED_CHUNK_SIZE reviews, about 1.4 MB of JSON, at a time).
FLAT_MEMORY_MIB = 64


def deep_cursor(depth: int) -> str:
    """The cursor a client following next links holds `depth` reviews into the list: signed
    the way claims.public_api.ClaimReviewCursorPagination signs its links."""
    from django.core import signing

    from benchmarks.limit import CURSOR_SALT
    from claims.models import Review

    published = (
        Review.objects.published()
        .order_by("-date_published", "-pk")
        .values_list("date_published", "pk")[depth]
    )
    assert published[0] is not None  # published reviews have the date
    key = published[0].astimezone(datetime.UTC).isoformat()
    return signing.dumps([key, published[1], False, "-published"], salt=CURSOR_SALT)


def admin_cookie() -> str:
    """A signed-in superuser's session cookie, made as django.contrib.auth.login() makes it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    user = User.objects.filter(username=ADMIN_USERNAME).first()
    if user is None:
        user = User.objects.create_superuser(ADMIN_USERNAME, "", None)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def scale_checks(server: Server, reviews: int, limit_items_per_s: float | None) -> None:
    from django.db import connection
    from django.db.models import Count

    from claims.models import Review

    print(f"\nscale checks at {reviews:,} published reviews (issue 13 goals at 1,000,000):")
    measure_feed(server, reviews, limit_items_per_s)

    started = time.perf_counter()
    grouped = dict(
        Review.objects.published().order_by().values_list("rating_id").annotate(n=Count("id"))
    )
    reference = (time.perf_counter() - started) * 1000
    assert sum(grouped.values()) == reviews, grouped
    # The first request in a public state counts (the grouped count, kept for that state) and
    # builds the answer; the next ones come from the response cache until the state changes.
    # (The endpoint takes no parameter a request could make distinct: an unknown one is a 400.)
    show(
        "GET /api/v1/ratings/, first request (uncached: counts)",
        timed(server, ["/api/v1/ratings/"]),
        f"(reference: one grouped values('rating_id') count, {reference:.1f} ms)",
    )
    show(
        "GET /api/v1/ratings/, median of 3 more",
        timed(server, ["/api/v1/ratings/"] * 3),
        goal_ms=50,
    )

    depth = int(reviews * 0.9)
    # Distinct `published_before` values (every review passes them): each request uncached.
    first = show(
        "list, first page (page_size=50, uncached), median of 5",
        timed(
            server,
            [
                f"/api/v1/claim-reviews/?page_size=50&published_before={v}"
                for v in before_values(8, 5)
            ],
        ),
    )
    cursor = deep_cursor(depth)
    deep = show(
        f"list, page {depth:,} deep (signed cursor, uncached), median of 5",
        timed(
            server,
            [
                f"/api/v1/claim-reviews/?page_size=50&cursor={cursor}&published_before={v}"
                for v in before_values(9, 5)
            ],
        ),
    )
    if first and deep:
        print(
            f"  {'':<58} {deep / first:8.2f}x the first page "
            f"(goal <= 2x: {pass_fail(deep / first <= 2)})"
        )

    # Each page number is a different page-cache key: every request below renders.
    pages = math.ceil(reviews / HOME_PAGE_SIZE)
    show(
        "reader home, pages 1-5 (uncached), median",
        timed(server, [f"/?page={p}" for p in range(1, 6)]),
    )
    # Pages past reader.views.MAX_PAGES answer the deepest one; each number is its own
    # cache key, so each of these renders it.
    show(
        f"reader home, pages {pages - 4:,}-{pages:,} asked (uncached; the deepest reachable)",
        timed(server, [f"/?page={p}" for p in range(pages, pages - 5, -1)]),
        goal_ms=100,
    )
    claimant = (
        Review.objects.published()
        .order_by()
        .values_list("claim__claimant__slug")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if claimant is not None:
        show(
            f"claimant page of {claimant[0]} ({claimant[1]:,} reviews), deepest, uncached",
            timed(
                server, [f"/claimants/{claimant[0]}/?page={p}" for p in range(pages, pages - 5, -1)]
            ),
            goal_ms=100,
        )

    cookie = admin_cookie()
    show(
        "/admin/claims/review/ as a superuser, median of 3",
        timed(server, ["/admin/claims/review/"] * 3, headers={"Cookie": cookie}),
        goal_ms=300,
    )
    show(
        "/admin/claims/review/?q=budget as a superuser, median of 3",
        timed(server, ["/admin/claims/review/?q=budget"] * 3, headers={"Cookie": cookie}),
    )
    connection.close()


# --- main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--reviews", type=int, default=100_000, help="published reviews")
    parser.add_argument("--evidence", type=int, default=3, help="evidence items per review")
    parser.add_argument(
        "--duration", type=int, default=15, help="seconds of load per endpoint (and its limit)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternations of each endpoint with the limit"
    )
    parser.add_argument("--repeat", type=int, default=1, help="run the table this many times")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_THROUGHPUT_DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="scratch PostgreSQL database ({reviews} is replaced; "
        "env BENCH_THROUGHPUT_DATABASE_URL)",
    )
    parser.add_argument("--port", type=int, default=8820)
    parser.add_argument(
        "--redis", default="", help="REDIS_URL for the server's cache (default: in-process)"
    )
    parser.add_argument("--reseed", action="store_true", help="seed again even if it holds it")
    parser.add_argument("--no-scale", action="store_true", help="only the throughput table")
    parser.add_argument(
        "--no-table",
        action="store_true",
        help="only the scale checks (no wrk load: single requests, for a busy machine)",
    )
    args = parser.parse_args()
    if args.reviews < 1000 or args.evidence < 0 or min(args.duration, args.repeat, args.rounds) < 1:
        parser.error("--reviews must be at least 1000; --duration, --rounds, --repeat at least 1")
    if shutil.which("wrk") is None and not args.no_table:
        print(
            "wrk is not installed: on Debian or Ubuntu `apt-get install -y wrk` "
            "(https://github.com/wg/wrk elsewhere).",
            file=sys.stderr,
        )
        return 2

    url = database_url(args.database_url, args.reviews)
    os.environ.update(SERVER_ENV)
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    started = time.perf_counter()
    print(prepare_database(url, args.reviews, args.evidence, reseed=args.reseed))
    print(f"  (database ready in {time.perf_counter() - started:.1f} s)")

    from django.db import connection

    from claims.models import Review

    slugs = list(Review.objects.published().values_list("claim__slug", flat=True))
    random.Random(13).shuffle(slugs)
    connection.close()
    needed = 2 * PATHS_PER_ROW * args.repeat + args.repeat
    if len(slugs) < needed:
        print(f"  note: {len(slugs):,} slugs for {needed:,} paths: uncached rows may reuse some")
        slugs = (slugs * (needed // len(slugs) + 1))[:needed]

    scratch = Path(tempfile.mkdtemp(prefix="factcheck-throughput-"))
    env = {**os.environ, "BENCH_STATIC_ROOT": str(scratch / "static")}
    if args.redis:
        env["REDIS_URL"] = args.redis
    else:
        env.pop("REDIS_URL", None)
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if collected.returncode:
        print(collected.stderr, file=sys.stderr)
        return 1
    server = Server(args.port, env, scratch / "gunicorn.log")
    print(
        f"server: gunicorn, 1 sync worker on 127.0.0.1:{args.port}, DEBUG off, cache "
        f"{'Redis ' + args.redis if args.redis else 'in-process (locmem)'}; "
        f"wrk -t1 -c2 -d{args.duration}s"
    )
    limit_rps: float | None = None
    try:
        server.start()
        for run in range(0 if args.no_table else args.repeat):
            limit_rps = throughput_table(args.port, args.duration, args.rounds, run, slugs, scratch)
        if not args.no_scale:
            scale_checks(server, args.reviews, 50 * limit_rps if limit_rps else None)
    finally:
        server.stop()
    print(f"\nserver log: {server.log}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
