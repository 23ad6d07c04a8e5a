"""gunicorn's settings for factcheck, read from the working directory (`make serve`, production,
the throughput benchmark). Command-line options and GUNICORN_CMD_ARGS override them.

The one that matters: a sync worker is killed when a request keeps it busy past `timeout`
seconds. The longest request is the DataFeed (`GET /api/v1/feed/`), streamed in one response
(about 2.7 MB per thousand reviews): `make bench BENCH_ARGS="--reviews 1000000"` streamed a
million (2.7 GiB, complete and valid JSON, the worker +19 MiB) in 133 s, 7,500 reviews/s, on
two cores shared with other busy processes (load average about 2.5). The timeout leaves it
half an hour, more than ten times that. A feed cut off by a kill could never be mistaken for a
complete one (publishing.api.DataFeedView), but it would fail its client.
"""

timeout = 1800
# A worker asked to stop (a deploy) first finishes the feed it is streaming.
graceful_timeout = 1800
# The longest request line gunicorn reads (its maximum; the default is 4094 bytes): a GET of
# /api/v1/claims/similar/?text=... carries a whole claim, percent-encoded. Longer is a 414,
# documented in the OpenAPI document (core.schema).
limit_request_line = 8190
