"""Settings of the server the throughput benchmark loads: production's, plus the limit view.

Everything comes from factcheck.settings and the environment (DEBUG off, SECRET_KEY,
FACTCHECK_SITE_URL, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL...), as in production; only the
URLconf (benchmarks.urls adds /bench/limit/) and, when BENCH_STATIC_ROOT is set, where
collectstatic put the static files, differ.
"""

import os
from pathlib import Path

from factcheck.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
