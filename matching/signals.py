"""The receivers of matching, connected by `connect()` when the app is ready
(MatchingConfig.ready). Claims never imports matching: matching listens to claims' models.

- `claim_changed` (post_save of Claim): the claim's index entry is refreshed on commit and its
  embedding queued (matching.tasks.enqueue_claims).
- `part_changed` (post_save and post_delete of Review and Appearance): the same for the claim
  they belong to (a review's headline and an imported review's URL are part of what matching
  reads; so are the places a claim appeared).
- `claim_deleting` (pre_delete of Claim): takes the claim out of the lexical index in the same
  transaction, so the terms' document counts stay right.

Writes that bypass signals (`bulk_create`, `QuerySet.update()`, raw SQL: an import, say) call
`matching.tasks.enqueue_claims(ids)` or `enqueue_backlog()` afterwards; `manage.py
matching_index` catches up with anything else.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete

from claims.models import Appearance, Claim, Review
from matching.index import remove_claim
from matching.tasks import enqueue_claims


def claim_changed(instance: Claim, raw: bool = False, **_: Any) -> None:
    if not raw:
        enqueue_claims([instance.pk])


def part_changed(instance: Review | Appearance, raw: bool = False, **_: Any) -> None:
    if not raw and instance.claim_id:
        enqueue_claims([instance.claim_id])


def claim_deleting(instance: Claim, **_: Any) -> None:
    remove_claim(instance.pk)


def connect() -> None:
    post_save.connect(claim_changed, sender=Claim, dispatch_uid="matching-claim")
    pre_delete.connect(claim_deleting, sender=Claim, dispatch_uid="matching-claim-deleting")
    for model in (Review, Appearance):
        post_save.connect(part_changed, sender=model, dispatch_uid=f"matching-{model.__name__}")
        post_delete.connect(
            part_changed, sender=model, dispatch_uid=f"matching-del-{model.__name__}"
        )
