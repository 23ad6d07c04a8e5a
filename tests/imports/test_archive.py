"""Our archive (--as-ours): our demo's published reviews, exported as /api/v1/feed/, imported
into an empty database, export again byte for byte; labels we have no rating for fail the whole
import with their list; only publishers may do it."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims import public_state
from claims.models import (
    Appearance,
    Claim,
    Claimant,
    Correction,
    Evidence,
    PublicChange,
    PublicGeneration,
    Review,
    Topic,
    WorkflowEvent,
)
from imports.models import ImportRecord, ImportRun
from sources.models import Source
from tests.helpers import api

pytestmark = pytest.mark.django_db


def export() -> bytes:
    # The feed's head dateModified is when the public output last changed (the public
    # generation's stamp, or the newest publication): a property of the database's history, not
    # of its content. Pin the stamp in the past so both exports date from their newest review.
    PublicChange.objects.all().delete()
    PublicGeneration.objects.update_or_create(
        pk=1, defaults={"changed_at": datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)}
    )
    public_state.forget()
    response = api().get("/api/v1/feed/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def empty_the_newsroom() -> None:
    ImportRecord.objects.all().delete()
    ImportRun.objects.all().delete()
    Correction.objects.all().delete()
    Evidence.objects.all().delete()
    WorkflowEvent.objects.all().delete()
    Review.objects.all().delete()
    Appearance.objects.all().delete()
    Claim.objects.all().delete()
    Claimant.objects.all().delete()
    Topic.objects.all().delete()
    Source.objects.all().delete()


def test_our_feed_imported_as_ours_into_an_empty_database_exports_the_same_bytes(
    tmp_path: Path,
) -> None:
    call_command("load_demo")
    before = export()
    assert json.loads(before)["dataFeedElement"], "the demo publishes reviews"
    assert b'"correction"' in before, "the demo has corrected reviews: they must survive"
    path = tmp_path / "feed.json"
    path.write_bytes(before)

    empty_the_newsroom()
    assert export() != before
    call_command("import_claimreviews", str(path), "--as-ours", "--user", "publisher")

    after = export()
    assert after == before
    assert not Review.objects.imported().exists()
    # Importing again changes nothing.
    call_command("import_claimreviews", str(path), "--as-ours", "--user", "publisher")
    run = ImportRun.objects.first()
    assert run is not None and run.imported == run.updated == 0
    assert export() == before


def test_labels_without_a_rating_of_ours_fail_the_whole_archive(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("load_demo")
    feed = json.loads(export())
    items = feed["dataFeedElement"]
    items[0]["item"][0]["reviewRating"]["alternateName"] = "Pants on fire"
    items[1]["item"][0]["reviewRating"]["alternateName"] = "Sort of"
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed))
    empty_the_newsroom()

    with pytest.raises(CommandError):
        call_command("import_claimreviews", str(path), "--as-ours", "--user", "publisher")
    assert not Review.objects.exists() and not Claim.objects.exists()
    err = capsys.readouterr().err
    assert "'Pants on fire' (1)" in err and "'Sort of' (1)" in err


def test_the_archive_needs_a_publisher(tmp_path: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "feed.json"
    path.write_text("[]")
    with pytest.raises(CommandError, match="publishers only"):
        call_command("import_claimreviews", str(path), "--as-ours", "--user", "editor")
    with pytest.raises(CommandError, match="--user"):
        call_command("import_claimreviews", str(path), "--as-ours")
