"""The receivers of claims, connected by `connect()` when the app is ready (ClaimsConfig.ready).

- `row_changed` (post_save and post_delete of Topic, Claimant, Claim, Appearance, RatingScale,
  Rating, Publisher, Review, Evidence, Correction and sources.Source): a write to a row that
  is, or was, on a public page or response marks the cached public output stale once the
  transaction commits (claims.public_state).
- `claim_topics_changed` (m2m_changed of Claim.topics, from either side): the same for the
  topics a public claim is filed under.
- `claim_saved` and `claimant_saved` (post_save of Claim and Claimant): refold the
  `search_text` of the reviews of a claim or claimant whose searched fields were saved
  (claims.search).

They are receivers rather than calls in the services because the admin's plain models (topics,
the rating scale, publishers) are saved by Django's own admin views, and every write must be
seen.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from claims import models
from claims.public_state import public_changed, public_facing, touches_public
from claims.search import (
    SEARCHED_CLAIM_FIELDS,
    SEARCHED_CLAIMANT_FIELDS,
    refresh_search_text,
    searched_fields_saved,
)
from sources.models import Source

PUBLIC_MODELS: tuple[type[Model], ...] = (
    models.Topic,
    models.Claimant,
    models.Claim,
    models.Appearance,
    models.RatingScale,
    models.Rating,
    models.Publisher,
    models.Review,
    models.Evidence,
    models.Correction,
    Source,
)


def row_changed(instance: Model, **_: Any) -> None:
    """Bump the public generation when the row written touches the public."""
    if touches_public(instance):
        public_changed()


def claim_topics_changed(instance: Model, reverse: bool, pk_set: set[int] | None, **_: Any) -> None:
    if not reverse:  # claim.topics.add(...)
        touched = touches_public(instance)
    elif pk_set is None:  # topic.claims.clear(): which claims is not said
        touched = True
    else:  # topic.claims.add(...): the claims are in pk_set
        touched = models.Review.objects.filter(public_facing(), claim_id__in=pk_set).exists()
    if touched:
        public_changed()


def claim_saved(
    sender: type[models.Claim],
    instance: models.Claim,
    created: bool,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    """Refold the claim's reviews (a new claim has none; `loaddata` brings the column with the
    rows)."""
    if created or raw or not searched_fields_saved(update_fields, SEARCHED_CLAIM_FIELDS):
        return
    refresh_search_text(models.Review.objects.filter(claim=instance), lock=True)


def claimant_saved(
    sender: type[models.Claimant],
    instance: models.Claimant,
    created: bool,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    """Refold the reviews of all the claimant's claims."""
    if created or raw or not searched_fields_saved(update_fields, SEARCHED_CLAIMANT_FIELDS):
        return
    refresh_search_text(models.Review.objects.filter(claim__claimant=instance), lock=True)


def connect() -> None:
    for model in PUBLIC_MODELS:
        post_save.connect(row_changed, sender=model, dispatch_uid=f"public-{model.__name__}")
        post_delete.connect(row_changed, sender=model, dispatch_uid=f"public-del-{model.__name__}")
    m2m_changed.connect(
        claim_topics_changed, sender=models.Claim.topics.through, dispatch_uid="public-claim-topics"
    )
    post_save.connect(claim_saved, sender=models.Claim, dispatch_uid="search-claim")
    post_save.connect(claimant_saved, sender=models.Claimant, dispatch_uid="search-claimant")
