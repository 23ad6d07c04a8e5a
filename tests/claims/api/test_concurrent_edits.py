"""No lost edits on the plain records: 100 PATCHes of one claim, one source and one claimant,
all based on the same `version`, sent at the same moment through the API: exactly one 200, the
rest 409, and the stored row is the winner's.

Each request runs in its own thread with its own PostgreSQL connection, started together by a
barrier (SQLite has no row locks: these run on the PostgreSQL pass of .ci/run). The shared
server allows 100 connections in all (`max_connections`), which the other test runs of this
machine use too, so the 100 requests are sent by THREADS threads at a time, each sending its
share back to back: every request is in flight while the others are, and every one is based on
version 1.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection
from rest_framework.test import APIClient

from claims.models import Claim, Claimant
from sources.models import Source
from tests.helpers import ClaimantFactory, ClaimFactory, SourceFactory, api

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REQUESTS = 100
THREADS = 25


def send_together(send: Callable[[int], int]) -> list[int]:
    """Call `send(i)` for i in range(REQUESTS) from THREADS threads that start at one barrier;
    return the status codes."""
    barrier = threading.Barrier(THREADS)
    codes: list[int] = []
    lock = threading.Lock()

    def run(first: int) -> None:
        try:
            barrier.wait()
            for i in range(first, REQUESTS, THREADS):
                code = send(i)
                with lock:
                    codes.append(code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=50)
    close_old_connections()
    return codes


@pytest.mark.parametrize(
    ("kind", "model", "factory", "field"),
    [
        ("claims", Claim, ClaimFactory, "venue"),
        ("sources", Source, SourceFactory, "publisher"),
        ("claimants", Claimant, ClaimantFactory, "job_title"),
    ],
)
def test_a_hundred_concurrent_patches_one_wins_the_rest_get_409(  # type: ignore[no-untyped-def]
    kind, model, factory, field, editor
) -> None:
    row = factory()
    url = f"/api/v1/{kind}/{row.pk}/"
    client = api(editor)  # creates the token before the threads start
    authorization = client._credentials["HTTP_AUTHORIZATION"]  # type: ignore[attr-defined]
    winners: list[str] = []

    def send(i: int) -> int:
        value = f"Writer {i}"
        thread_client = APIClient(HTTP_AUTHORIZATION=authorization)
        response = thread_client.patch(url, {field: value, "version": 1}, format="json")
        if response.status_code == 200:
            winners.append(value)
        return response.status_code

    codes = send_together(send)

    assert len(codes) == REQUESTS
    assert sorted(set(codes)) == [200, 409], codes
    assert (codes.count(200), codes.count(409)) == (1, REQUESTS - 1)
    stored = model.objects.get(pk=row.pk)
    assert (getattr(stored, field), stored.version) == (winners[0], 2)
