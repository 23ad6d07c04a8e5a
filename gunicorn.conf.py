"""gunicorn's settings for factcheck, read from the working directory (`make serve`, production,
the throughput benchmark). Command-line options and GUNICORN_CMD_ARGS override them.

The one that matters: a sync worker is killed when a request keeps it busy past `timeout`
seconds. The longest request is the DataFeed (`GET /api/v1/feed/`), streamed in one response:
a million reviews take about a minute on two cores (`make bench` measures it), so the timeout
leaves it five times that. A feed cut off by a kill could never be mistaken for a complete one
(publishing.api.DataFeedView), but it would fail its client.
"""

timeout = 300
# A worker asked to stop (a deploy) first finishes the feed it is streaming.
graceful_timeout = 300
