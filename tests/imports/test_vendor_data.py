"""Every file of ../shared/vendor-data/claimreview imports: each of its ClaimReview records is
imported or refused with a stated reason, and importing it again reports every record
unchanged (refused ones refused again, for the same reason)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from claims.models import Review
from imports.models import ImportRecordStatus, ImportRunStatus
from imports.services import import_document

pytestmark = pytest.mark.django_db


def vendor_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "claimreview").rglob("*") if p.suffix in {".json", ".html"})


def document(path: Path) -> tuple[bytes, str]:
    """The file as a newsroom would hand it over: Meedan's fixtures wrap the page they fetched
    as {"page": <html>, "url": <address>}; that wrapper is the test suite's, so unwrap it."""
    raw = path.read_bytes()
    if path.suffix == ".json":
        data = json.loads(raw)
        if isinstance(data, dict) and isinstance(data.get("page"), str):
            return data["page"].encode(), data.get("url") or ""
    return raw, ""


def import_file(path: Path):  # type: ignore[no-untyped-def]
    body, url = document(path)
    return import_document(stream=io.BytesIO(body), source=path.name, base_url=url)


def test_every_vendor_file_imports_every_record_or_says_why(vendor_data: Path) -> None:
    files = vendor_files(vendor_data)
    assert len(files) == 44
    for path in files:
        run = import_file(path)
        assert run.status == ImportRunStatus.DONE, (path.name, run.error)
        records = list(run.records.all())
        assert records, path.name
        assert run.total == len(records)
        for record in records:
            assert record.status in {
                ImportRecordStatus.IMPORTED,
                ImportRecordStatus.REFUSED,
                ImportRecordStatus.UNCHANGED,
            }, (path.name, record.status)
            if record.status == ImportRecordStatus.REFUSED:
                assert record.reason, (path.name, record.index)
            else:
                assert record.review_id is not None

        again = import_file(path)
        assert again.status == ImportRunStatus.DONE
        assert again.imported == again.updated == 0, path.name
        first = {r.index: (r.status, r.reason) for r in records}
        for record in again.records.all():
            status, reason = first[record.index]
            if status == ImportRecordStatus.REFUSED:
                assert (record.status, record.reason) == (status, reason), path.name
            else:
                assert record.status == ImportRecordStatus.UNCHANGED, (path.name, record.reason)
    assert Review.objects.ours().count() == 0
