"""Admin forms for reviews and claims: the review edit form that carries its `version`, one form
per workflow action (built from the inputs of its rule in claims.workflow), and the claim forms
that know whether the claim's fact check is published. They translate what was typed; the rules
(and most messages) come from the services, whose ValidationErrors the admin views attach to
these forms."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from claims.models import (
    CHOSEN_CORRECTION_KINDS,
    Appearance,
    Claim,
    Claimant,
    CorrectionKind,
    Review,
    language_validator,
    unique_slug,
)
from claims.permissions import CLAIM_PUBLISHED_IS_LOCKED, claim_is_locked
from claims.services.claims import TWO_FIRST_APPEARANCES, AppearanceItem
from claims.services.reviews import CORRECTABLE_FIELDS, ReviewContent, ensure_one_fact_check
from claims.workflow import NOTE_REQUIRED, RULES, Action, Input, Inputs
from core.admin import BasedOnVersionForm

STALE_FORM = (
    "Someone saved this review while you were editing it (you started from version {based_on}; "
    "it is now at version {current}). Nothing was saved: open the review again to see their "
    "changes, then reapply yours."
)
CLAIM_LOCK_CHANGED = (
    "This claim's fact check was published or withdrawn while you were editing it. Nothing was "
    "saved: open the claim again."
)


APPEARANCE_FIELDS = ("url", "archived_url", "title", "date", "first", "order")
# Plain inputs (no "Currently: <link>" above each URL) that workflow.css sizes to their column,
# so the appearances table fits a 1,280-pixel window. The revision admin's table uses them too.
APPEARANCE_WIDGETS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"widget": forms.URLInput(attrs={"class": "appearance-url"})},
    models.CharField: {"widget": forms.TextInput(attrs={"class": "appearance-title"})},
    models.PositiveSmallIntegerField: {
        "widget": forms.NumberInput(attrs={"class": "appearance-order"})
    },
}


class ReviewAdminForm(forms.ModelForm):
    """The review edit form. `based_on_version` is the version the page was rendered from; a
    save based on an older one is refused with a form error and writes nothing."""

    based_on_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Review
        fields = ["claim", "rating", "headline", "summary", "body", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["based_on_version"].initial = self.instance.version
            self.fields["based_on_version"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        based_on = cleaned.get("based_on_version")
        if self.instance.pk and based_on is not None and based_on != self.instance.version:
            raise forms.ValidationError(
                STALE_FORM.format(based_on=based_on, current=self.instance.version),
                code="stale_version",
            )
        claim = cleaned.get("claim")
        if claim is not None and (self.instance.pk is None or "claim" in self.changed_data):
            # One fact check per claim (the service checks it again, under a lock).
            try:
                ensure_one_fact_check(claim, review=self.instance)
            except ValidationError as exc:
                self.add_error("claim", exc.message_dict["claim"])
        return cleaned


class ClaimAdminForm(BasedOnVersionForm):
    """The claim edit form. While the claim's fact check is published its public fields are
    read-only (ClaimAdmin); `rendered_locked` says whether they were when the page was rendered,
    so that a save from a page rendered before a publication or withdrawal is refused instead of
    dropping what was typed into fields that have since become read-only (or blanking those that
    were read-only and no longer are)."""

    rendered_locked = forms.BooleanField(widget=forms.HiddenInput, required=False)
    locked = False  # whether the claim is locked now: set by ClaimAdmin.get_form

    class Meta:
        model = Claim
        fields = [
            "text",
            "short_text",
            "slug",
            "claimant",
            "date_claimed",
            "venue",
            "language",
            "topics",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rendered_locked"].initial = self.locked

    def clean_slug(self) -> str:
        """An empty slug is derived from the claim, as claims.services.claim_create does."""
        slug: str = self.cleaned_data.get("slug") or ""
        if slug:
            return slug
        claim = Claim(
            text=self.cleaned_data.get("text") or "",
            short_text=self.cleaned_data.get("short_text") or "",
        )
        return unique_slug(Claim, claim.claim_reviewed)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk and bool(cleaned.get("rendered_locked")) != self.locked:
            raise forms.ValidationError(CLAIM_LOCK_CHANGED, code="lock_changed")
        return cleaned


class AppearanceAdminForm(forms.ModelForm):
    """One appearance, saved through claims.services.claim_update with the rest of its claim's
    list; refused while the claim's fact check is published."""

    class Meta:
        model = Appearance
        fields = ["claim", "url", "archived_url", "title", "date", "first", "order"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        claim = cleaned.get("claim") or (self.instance.claim if self.instance.claim_id else None)
        if claim is not None and claim_is_locked(claim.pk):
            raise forms.ValidationError(CLAIM_PUBLISHED_IS_LOCKED, code="published")
        return cleaned


class WorkflowForm(forms.Form):
    """Base of the action forms. `review` is the review acted on (for initial values);
    `inputs` is what the action takes (claims.workflow)."""

    inputs: Inputs = Inputs("None")

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        self.review = review
        super().__init__(*args, **kwargs)

    def service_inputs(self) -> dict[str, Any]:
        """What was cleaned, as the keyword arguments of the action's service."""
        return {field.keyword: self.cleaned_data[field.name] for field in self.inputs.fields}


def _form_field(field: Input) -> forms.Field:
    label = field.label or None
    help_text = field.help_text
    if field.kind == "datetime":
        zone = timezone.get_current_timezone_name()
        return forms.DateTimeField(
            required=field.required,
            label=label,
            help_text=f"{help_text} Time zone: {zone}.".strip(),
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        )
    errors = {"required": field.required_message} if field.required_message else {}
    if field.kind == "choice":
        return forms.ChoiceField(
            required=field.required,
            label=label,
            help_text=help_text,
            choices=[("", "---------"), *field.choices],
            error_messages=errors,
        )
    return forms.CharField(
        required=field.required,
        label=label,
        help_text=help_text,
        max_length=field.max_length,
        error_messages=errors,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )


@cache
def inputs_form(inputs: Inputs) -> type[WorkflowForm]:
    """The form of the actions that take `inputs`, one class per kind of input
    ("Comment": CommentForm)."""
    fields: dict[str, Any] = {field.name: _form_field(field) for field in inputs.fields}
    return type(f"{inputs.name}Form", (WorkflowForm,), {"inputs": inputs, **fields})


class AppearanceForm(forms.Form):
    """One appearance of the claim, in the correction form."""

    url = forms.URLField(label="URL", max_length=2000, assume_scheme="https")
    archived_url = forms.URLField(
        label="Archived URL", max_length=2000, required=False, assume_scheme="https"
    )
    title = forms.CharField(max_length=300, required=False)
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    first = forms.BooleanField(label="First appearance", required=False)


class BaseAppearanceFormSet(forms.BaseFormSet):
    """The claim's appearances in the correction form: the rows shown (kept unless marked for
    removal) and any new row filled in."""

    def _kept(self) -> list[forms.Form]:
        return [
            form
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed())
            and not (self.can_delete and form.cleaned_data.get("DELETE"))
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if sum(1 for form in self._kept() if form.cleaned_data.get("first")) > 1:
            raise forms.ValidationError(TWO_FIRST_APPEARANCES)

    def items(self) -> list[AppearanceItem]:
        """The appearances listed, in order (blank and removed rows left out)."""
        return [
            AppearanceItem(
                url=form.cleaned_data["url"],
                archived_url=form.cleaned_data.get("archived_url") or "",
                title=form.cleaned_data.get("title") or "",
                date=form.cleaned_data.get("date"),
                first=bool(form.cleaned_data.get("first")),
            )
            for form in self._kept()
        ]


AppearanceFormSet = forms.formset_factory(
    AppearanceForm, formset=BaseAppearanceFormSet, extra=1, can_delete=True
)


class CorrectForm(WorkflowForm):
    """A correction or update of a published review: what readers are told, and the new text
    of the review and of its claim (whose public fields change only this way while the review
    is published). `appearances` is a formset of the claim's appearances, validated with the
    form."""

    # A verdict change (a new rating) or an evidence change needs a revision ("Revise").
    kind = forms.ChoiceField(
        choices=[
            (value, label)
            for value, label in CHOSEN_CORRECTION_KINDS
            if value != CorrectionKind.VERDICT_CHANGE
        ],
        help_text="A new rating or new evidence needs a revision: use Revise instead.",
    )
    note = forms.CharField(
        label="Public note",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        error_messages={"required": NOTE_REQUIRED},
        help_text="Readers see it, dated, on the page and in the corrections log.",
    )
    headline = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"size": 80}))
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 12, "cols": 80}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # The claim's fields (and its appearances) are optional: one left out of the post is left
    # as it is, so a correction that is only about the review need not send them.
    claim_text = forms.CharField(
        label="Claim", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 80})
    )
    claim_short_text = forms.CharField(
        label="Claim, short form",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text="Published as claimReviewed; derived from the claim when empty.",
    )
    claimant = forms.ModelChoiceField(
        queryset=Claimant.objects.all(),
        required=False,
        widget=AutocompleteSelect(Claim._meta.get_field("claimant"), admin.site),
    )
    date_claimed = forms.DateField(
        label="Date made", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    venue = forms.CharField(
        label="Where it was made", max_length=300, required=False, widget=forms.TextInput()
    )
    claim_language = forms.CharField(
        label="Claim language", max_length=35, required=False, validators=[language_validator]
    )

    # The claim's fields, by form field name.
    CLAIM_FIELDS = {
        "claim_text": "text",
        "claim_short_text": "short_text",
        "claimant": "claimant",
        "date_claimed": "date_claimed",
        "venue": "venue",
        "claim_language": "language",
    }

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, review=review, **kwargs)
        for name in CORRECTABLE_FIELDS:
            self.fields[name].initial = getattr(review, name)
        self.fields["version"].initial = review.version
        claim = review.claim
        for name, claim_field in self.CLAIM_FIELDS.items():
            self.fields[name].initial = getattr(claim, claim_field)
        prefix = self.add_prefix("appearances")
        sent = self.is_bound and f"{prefix}-TOTAL_FORMS" in self.data
        self.appearances = cast(type[BaseAppearanceFormSet], AppearanceFormSet)(
            self.data if sent else None,
            prefix=prefix,
            initial=[
                {
                    "url": a.url,
                    "archived_url": a.archived_url,
                    "title": a.title,
                    "date": a.date,
                    "first": a.first,
                }
                for a in claim.appearances.all()
            ],
        )

    @property
    def media(self) -> forms.Media:
        return super().media + self.appearances.media

    def is_valid(self) -> bool:
        form_valid = super().is_valid()
        return (not self.appearances.is_bound or self.appearances.is_valid()) and form_valid

    def _sent(self, name: str) -> bool:
        widget = self.fields[name].widget
        return not widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))

    def _required_if_sent(self, name: str) -> Any:
        value = self.cleaned_data.get(name)
        if self._sent(name) and not value:
            raise forms.ValidationError(self.fields[name].error_messages["required"], "required")
        return value

    def clean_claim_text(self) -> Any:
        return self._required_if_sent("claim_text")

    def clean_claim_language(self) -> Any:
        return self._required_if_sent("claim_language")

    def clean(self) -> dict[str, Any]:
        """Adds "claim" (the claim's fields sent, by model field name: the service keeps what
        differs) and "appearances" (the list as typed, or None when not sent)."""
        cleaned = super().clean() or {}
        cleaned["claim"] = {
            field: cleaned[name]
            for name, field in self.CLAIM_FIELDS.items()
            if name in cleaned and self._sent(name)
        }
        appearances = self.appearances
        sent = appearances.is_bound and appearances.is_valid()
        cleaned["appearances"] = appearances.items() if sent else None
        return cleaned

    def service_inputs(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes: ReviewContent = {
            "headline": data["headline"],
            "summary": data["summary"],
            "body": data["body"],
        }
        return {
            "kind": data["kind"],
            "note": data["note"],
            "version": data["version"],
            "changes": changes,
            "claim_changes": data["claim"],
            "appearances": data["appearances"],
        }


def action_form(action: Action) -> type[WorkflowForm]:
    """The admin form of a workflow action: built from its rule's inputs, except the
    correction's, which edits the whole text of the review and its claim."""
    if action is Action.CORRECT:
        return CorrectForm
    inputs = RULES[action].inputs
    assert inputs is not None, f"{action} takes no inputs"
    return inputs_form(inputs)
