"""Admin plumbing shared by the apps' ModelAdmins (nothing is registered here)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import IGNORED_PARAMS
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.functional import cached_property

from core.api import BIGINT_MAX, BIGINT_MIN
from core.exceptions import Conflict


def _integer_target(model: type[models.Model], lookup: str) -> bool:
    """Whether the field `lookup` ends on (a relation: its target) stores integers."""
    opts, field = model._meta, None
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            break  # the rest names the lookup (exact, in, gt, ...) or is not a field at all
        related = _related_model(field)
        if related is not None:
            opts = related._meta
    if field is None:
        return False
    related = _related_model(field)
    if related is not None:
        target = getattr(field, "target_field", None) or related._meta.pk
        # A primary key that is itself a relation (a one-to-one "extension" table such as
        # matching's MatchEntry) stores what it points at.
        while target is not None and target.is_relation:
            target = getattr(target, "target_field", None)
        return isinstance(target, models.IntegerField)
    return isinstance(field, models.IntegerField)


def _related_model(field: Any) -> type[models.Model] | None:
    """The model at the other end of a relation (resolved: never the string "self")."""
    related = field.related_model if field.is_relation else None
    return related if isinstance(related, type) else None


def _beyond_64_bits(value: str) -> bool:
    """Whether `value` (one number, or a comma-separated list for `__in`) holds an integer no
    64-bit column can store."""
    for piece in value.split(","):
        try:
            number = int(piece.strip())
        except ValueError:
            continue  # not an integer: Django's own lookup validation refuses it
        if not BIGINT_MIN <= number <= BIGINT_MAX:
            return True
    return False


class BoundedIntegerLookups:
    """ModelAdmin mixin: a changelist filter that compares an integer column (an id, a foreign
    key, a count) with a number beyond 64 bits is a bad lookup, answered like any other (the
    changelist again, flagged with ?e=1), never a 500.

    The admin accepts `?claim=<n>` or `?id__in=<n>,<m>` on any field; Django bounds plain integer
    comparisons itself, but not foreign keys or `__in`, and SQLite cannot bind a number beyond
    64 bits (OverflowError)."""

    model: type[models.Model]

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        for key, values in request.GET.lists():
            if key in IGNORED_PARAMS:
                continue
            if _integer_target(self.model, key) and any(_beyond_64_bits(v) for v in values):
                raise IncorrectLookupParameters(f"{key}: not a 64-bit integer")
        return super().get_changelist_instance(request)  # type: ignore[misc]


class ServiceRefusalAsMessage:
    """For admins that save through services: a save that lost a race past the form's
    checks (another edit, or a publication, came first) is refused by the service inside its
    transaction, so nothing was written; show why and reload the page instead of a 500."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(  # type: ignore[misc]
                request, object_id, form_url, extra_context
            )
        except (Conflict, ValidationError) as exc:
            messages.error(request, error_message(exc))
            return HttpResponseRedirect(request.get_full_path())


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on `form`: each message on its field, or on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def error_message(exc: Exception) -> str:
    """A service's refusal as one line for a message."""
    if isinstance(exc, Conflict):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


# The most rows a changelist counts: past it the admin says "more than 10000 reviews" rather
# than counting a million rows on every page view.
COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """A changelist paginator whose count stops at COUNT_CAP rows (`capped` says it did).

    For ModelAdmins of tables that grow without bound (reviews, claims): with
    `show_full_result_count = False` no changelist query then reads the whole table.
    """

    @cached_property
    def count(self) -> int:
        counted = int(self.object_list[: COUNT_CAP + 1].count())  # type: ignore[attr-defined]
        self.capped = counted > COUNT_CAP
        return min(counted, COUNT_CAP)

    capped = False


STALE_RECORD_FORM = (
    "Someone saved this {thing} while you were editing it (you started from version "
    "{based_on}; it is now at version {current}). Nothing was saved: open it again to see "
    "their changes, then reapply yours."
)


class BasedOnVersionForm(forms.ModelForm):
    """A change form for a model with a `version` (optimistic locking): `based_on_version` is
    the version the page was rendered from, sent back hidden; a save based on an older one is
    a form error and writes nothing. The service the admin saves through checks it again under
    its row lock (a race past this check is refused there: ServiceRefusalAsMessage)."""

    based_on_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["based_on_version"].initial = self.instance.version
            self.fields["based_on_version"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        based_on = cleaned.get("based_on_version")
        current = getattr(self.instance, "version", None)
        if self.instance.pk and based_on is not None and based_on != current:
            raise forms.ValidationError(
                STALE_RECORD_FORM.format(
                    thing=self.instance._meta.verbose_name, based_on=based_on, current=current
                ),
                code="stale_version",
            )
        return cleaned
