"""Admin forms for reviews: the edit form that carries its `version`, and one form per workflow
action. They translate what was typed; the rules (and most messages) come from claims.services,
whose ValidationErrors the admin views attach to these forms."""

from __future__ import annotations

from typing import Any

from django import forms

from claims import services
from claims.models import CorrectionKind, Rating, Review
from claims.permissions import Action

STALE_FORM = (
    "Someone saved this review while you were editing it (you started from version {based_on}; "
    "it is now at version {current}). Nothing was saved: open the review again to see their "
    "changes, then reapply yours."
)


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
        return cleaned


class WorkflowForm(forms.Form):
    """Base of the action forms. `review` is the review acted on (for initial values)."""

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        self.review = review
        super().__init__(*args, **kwargs)


class CommentForm(WorkflowForm):
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))


class RequestChangesForm(WorkflowForm):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        error_messages={"required": services.COMMENT_REQUIRED},
        help_text="What must change before it can be approved.",
    )


class PublishForm(CommentForm):
    publish_at = forms.DateTimeField(
        required=False,
        label="Publish at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Leave empty to publish now; a future time schedules the publication.",
    )


class WithdrawForm(WorkflowForm):
    note = forms.CharField(
        label="Public note",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        error_messages={"required": services.NOTE_REQUIRED},
        help_text="Readers see it on the review's page.",
    )


class CorrectForm(WorkflowForm):
    """A correction or update of a published review: what readers are told, and the new text."""

    kind = forms.ChoiceField(choices=CorrectionKind.choices)
    note = forms.CharField(
        label="Public note",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        error_messages={"required": services.NOTE_REQUIRED},
        help_text="Readers see it, dated, on the page and in the corrections log.",
    )
    rating = forms.ModelChoiceField(
        queryset=Rating.objects.filter(scale__is_default=True),
        required=False,
        help_text="Change it only for a verdict change.",
    )
    headline = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"size": 80}))
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 12, "cols": 80}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, review=review, **kwargs)
        for name in services.CORRECTABLE_FIELDS:
            self.fields[name].initial = getattr(review, name)
        self.fields["version"].initial = review.version


WORKFLOW_FORMS: dict[Action, type[WorkflowForm]] = {
    Action.SUBMIT: CommentForm,
    Action.REQUEST_CHANGES: RequestChangesForm,
    Action.APPROVE: CommentForm,
    Action.PUBLISH: PublishForm,
    Action.CORRECT: CorrectForm,
    Action.WITHDRAW: WithdrawForm,
    Action.REOPEN: CommentForm,
}
# Button labels.
ACTION_LABELS: dict[Action, str] = {
    Action.SUBMIT: "Submit for review",
    Action.REQUEST_CHANGES: "Request changes",
    Action.APPROVE: "Approve",
    Action.PUBLISH: "Publish",
    Action.CORRECT: "Correct or update…",
    Action.WITHDRAW: "Withdraw",
    Action.REOPEN: "Reopen as draft",
}


def run_action(action: Action, review: Review, by: Any, data: dict[str, Any]) -> Review:
    """Call the service for `action` with what the form cleaned."""
    if action is Action.SUBMIT:
        return services.review_submit(review=review, by=by, comment=data["comment"])
    if action is Action.REQUEST_CHANGES:
        return services.review_request_changes(review=review, by=by, comment=data["comment"])
    if action is Action.APPROVE:
        return services.review_approve(review=review, by=by, comment=data["comment"])
    if action is Action.PUBLISH:
        return services.review_publish(
            review=review, by=by, at=data["publish_at"], comment=data["comment"]
        )
    if action is Action.CORRECT:
        changes: services.ReviewContent = {
            "rating": data["rating"],
            "headline": data["headline"],
            "summary": data["summary"],
            "body": data["body"],
        }
        return services.review_correct(
            review=review,
            by=by,
            kind=data["kind"],
            note=data["note"],
            version=data["version"],
            changes=changes,
        )
    if action is Action.WITHDRAW:
        return services.review_withdraw(review=review, by=by, note=data["note"])
    if action is Action.REOPEN:
        return services.review_reopen(review=review, by=by, comment=data["comment"])
    raise ValueError(f"Not a workflow action: {action}")
