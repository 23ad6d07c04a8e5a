"""The workflow of a review (DESIGN.md section 4), written once: one `Rule` per action.

A rule says which states an action starts from and where it leads, the role permission it
needs and whose action it is (authors, editors who are not authors, anyone with the
permission), what it takes as input (a comment, a public note, a time), its button label, its
API description and what is said when the review's state does not allow it. Every layer reads
the table instead of writing the workflow again:

- claims.permissions: `ensure_can()` / `can()` / `allowed_actions()` check the permission, the
  caller's relation to the review and the state from the rule;
- claims.services.reviews: `move()` changes the state along the rule, and `review_act()` runs the
  service function registered for the action with `@performs`;
- claims.admin: the review page's buttons (`BUTTONS`, labels) and each action's form, built
  from the rule's inputs;
- claims.api: one `POST /api/v1/reviews/<id>/<action>/` endpoint per button, its input
  serializer built from the rule's inputs and documented with its description.

Revisions (working copies of a published review, claims.models.Revision) have rules of their
own here, with `subject="revision"`: their `source` and `target` are revision states, their
buttons (REVISION_BUTTONS) are on the revision's admin page, their endpoints are
`POST /api/v1/revisions/<id>/<path>/`, and their services are in claims.services.revisions.

Adding an action is a rule here and its service function in claims.services.reviews (or
claims.services.revisions), registered with `@performs`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Literal

from claims.models import CHOSEN_CORRECTION_KINDS
from claims.models import ReviewStatus as S
from claims.models import RevisionStatus as RS


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    SUBMIT = "submit"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    PUBLISH = "publish"
    CORRECT = "correct"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"
    REVISE = "revise"
    # A revision's actions.
    REVISION_UPDATE = "revision_update"
    REVISION_SUBMIT = "revision_submit"
    REVISION_REQUEST_CHANGES = "revision_request_changes"
    REVISION_APPROVE = "revision_approve"
    REVISION_PUBLISH = "revision_publish"
    REVISION_DISCARD = "revision_discard"


class Who(Enum):
    """Whose action it is, beyond the role permission."""

    ANYONE = "anyone whose role has the permission"
    AUTHORS_OR_EDITORS = (
        "an author of the review (or revision), or anyone who reviews (claims.review_review)"
    )
    NOT_AUTHORS = "never an author of the review (or revision): the two-person rule"


# The role permissions (claims/migrations/0003_roles.py gives them to the groups).
VIEW_REVIEW = "claims.view_review"
ADD_REVIEW = "claims.add_review"
CHANGE_REVIEW = "claims.change_review"
DELETE_REVIEW = "claims.delete_review"
REVIEW_REVIEW = "claims.review_review"
PUBLISH_REVIEW = "claims.publish_review"

# Services refuse empty required inputs with these (tests assert on them).
COMMENT_REQUIRED = "Say what needs to change: a comment is required."
NOTE_REQUIRED = "A public note is required: readers see it."
KIND_REQUIRED = "Choose what this is: correction, update, clarification or verdict change."


@dataclass(frozen=True)
class Input:
    """One value an action takes from the user: `name` is the form field and the API's JSON
    field, `param` the service's keyword argument when it differs."""

    name: str
    kind: Literal["text", "datetime", "choice"] = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    label: str = ""
    help_text: str = ""
    required_message: str = ""
    max_length: int = 5000
    param: str = ""

    @property
    def keyword(self) -> str:
        return self.param or self.name


@dataclass(frozen=True)
class Inputs:
    """What an action takes. `name` names its admin form and API serializer ("Comment":
    CommentForm, CommentInputSerializer), so actions that take the same share them."""

    name: str
    fields: tuple[Input, ...] = ()


COMMENT = Input("comment")
TAKES_COMMENT = Inputs("Comment", (COMMENT,))
NOTE = Input(
    "note",
    required=True,
    label="Public note",
    help_text="Required, public: readers see it, dated, on the page and in the corrections log.",
    required_message=NOTE_REQUIRED,
)
KIND = Input(
    "kind",
    kind="choice",
    required=True,
    label="Kind",
    choices=tuple(CHOSEN_CORRECTION_KINDS),
    help_text="A new rating is a verdict change.",
    required_message=KIND_REQUIRED,
)


@dataclass(frozen=True)
class Rule:
    """One action. `source` is the states it may start from (empty: it needs no review),
    `target` the state it leads to (None: it changes no state). Only rules with a `label`
    are workflow buttons. `wrong_state` is said when the review's state is not in `source`
    ({status}: the state's label); `state_messages` replaces it for particular states."""

    action: Action
    verb: str
    permission: str
    who: Who
    source: tuple[str, ...]
    target: str | None
    label: str = ""
    inputs: Inputs | None = None
    description: str = ""
    wrong_state: str = ""
    state_messages: Mapping[str, str] = field(default_factory=dict)
    subject: Literal["review", "revision"] = "review"
    path: str = ""

    @property
    def slug(self) -> str:
        """The action in URLs: /api/v1/reviews/<id>/request-changes/ (`path` when set:
        /api/v1/revisions/<id>/submit/)."""
        return self.path or self.action.value.replace("_", "-")


PUBLISHED_IS_LOCKED = (
    "A published review changes only through a revision (start one with Revise), or, for an "
    "urgent text fix, a publisher's correction or update with a public note."
)
WITHDRAWN_IS_LOCKED = "A withdrawn review cannot be edited: reopen it first."

RULES: dict[Action, Rule] = {
    rule.action: rule
    for rule in [
        Rule(Action.CREATE, "create", ADD_REVIEW, Who.ANYONE, source=(), target=S.DRAFT),
        Rule(
            Action.UPDATE,
            "edit",
            CHANGE_REVIEW,
            Who.AUTHORS_OR_EDITORS,
            source=(S.DRAFT, S.IN_REVIEW, S.APPROVED),
            # Editing a review in review or approved sends it back to draft (the service).
            target=S.DRAFT,
            state_messages={S.PUBLISHED: PUBLISHED_IS_LOCKED, S.WITHDRAWN: WITHDRAWN_IS_LOCKED},
        ),
        Rule(
            Action.DELETE,
            "delete",
            DELETE_REVIEW,
            Who.AUTHORS_OR_EDITORS,
            source=(S.DRAFT,),
            target=None,
            wrong_state=(
                "Only a draft that was never published can be deleted; this review is {status}."
            ),
        ),
        Rule(
            Action.SUBMIT,
            "submit",
            CHANGE_REVIEW,
            Who.AUTHORS_OR_EDITORS,
            source=(S.DRAFT,),
            target=S.IN_REVIEW,
            label="Submit for review",
            inputs=TAKES_COMMENT,
            description="Send a draft for review (an author or an editor).",
            wrong_state="Only a draft can be submitted for review; this review is {status}.",
        ),
        Rule(
            Action.REQUEST_CHANGES,
            "request changes on",
            REVIEW_REVIEW,
            Who.NOT_AUTHORS,
            source=(S.IN_REVIEW,),
            target=S.DRAFT,
            label="Request changes",
            inputs=Inputs(
                "RequestChanges",
                (
                    Input(
                        "comment",
                        required=True,
                        help_text="Required: what must change.",
                        required_message=COMMENT_REQUIRED,
                    ),
                ),
            ),
            description=(
                "Send a review in review back to draft with a comment (an editor who is not an "
                "author)."
            ),
            wrong_state=(
                "Changes can be requested only on a review in review; this review is {status}."
            ),
        ),
        Rule(
            Action.APPROVE,
            "approve",
            REVIEW_REVIEW,
            Who.NOT_AUTHORS,
            source=(S.IN_REVIEW,),
            target=S.APPROVED,
            label="Approve",
            inputs=TAKES_COMMENT,
            description="Approve a review in review (an editor, not an author).",
            wrong_state="Only a review in review can be approved; this review is {status}.",
        ),
        Rule(
            Action.PUBLISH,
            "publish",
            PUBLISH_REVIEW,
            Who.ANYONE,
            source=(S.APPROVED,),
            target=S.PUBLISHED,
            label="Publish",
            inputs=Inputs(
                "Publish",
                (
                    COMMENT,
                    Input(
                        "publish_at",
                        kind="datetime",
                        label="Publish at",
                        help_text="When it becomes public; omit to publish now.",
                        param="at",
                    ),
                ),
            ),
            description=(
                "Publish an approved review now, or at `publish_at` (a publisher). Refused with "
                "400 naming the fields while its ClaimReview has errors."
            ),
            wrong_state="Only an approved review can be published; this review is {status}.",
        ),
        Rule(
            Action.CORRECT,
            "correct or update",
            PUBLISH_REVIEW,
            Who.ANYONE,
            source=(S.PUBLISHED,),
            target=S.PUBLISHED,
            # Its form (the whole text of the review and its claim) is its own: inputs=None.
            label="Correct or update…",
            description=(
                "An urgent text fix of a published review with a public note (a publisher): may "
                "change the headline, summary and body, and under `claim` the claim's text, "
                "short_text, claimant, date_claimed, venue, language and appearances, given "
                "`version`. Errors about the claim come under `claim`. A rating or evidence "
                "change is refused (400 naming the field): it needs a revision, reviewed by "
                "someone else."
            ),
            wrong_state=(
                "Only a published review can be corrected or updated; this review is {status}."
            ),
        ),
        Rule(
            Action.WITHDRAW,
            "withdraw",
            PUBLISH_REVIEW,
            Who.ANYONE,
            source=(S.PUBLISHED,),
            target=S.WITHDRAWN,
            label="Withdraw",
            inputs=Inputs(
                "Withdraw",
                (
                    Input(
                        "note",
                        required=True,
                        label="Public note",
                        help_text="Required, public: why it was withdrawn.",
                        required_message=NOTE_REQUIRED,
                    ),
                ),
            ),
            description="Withdraw a published review with a public note (a publisher).",
            wrong_state="Only a published review can be withdrawn; this review is {status}.",
        ),
        Rule(
            Action.REOPEN,
            "reopen",
            PUBLISH_REVIEW,
            Who.ANYONE,
            source=(S.WITHDRAWN,),
            target=S.DRAFT,
            label="Reopen as draft",
            inputs=TAKES_COMMENT,
            description="Bring a withdrawn review back to draft (a publisher).",
            wrong_state="Only a withdrawn review can be reopened; this review is {status}.",
        ),
    ]
}

REVISION_IS_CLOSED = "This revision is {status}: it can no longer be changed."
TAKES_NOTHING = Inputs("Nothing")

REVISION_RULES: list[Rule] = [
    Rule(
        Action.REVISE,
        "revise",
        CHANGE_REVIEW,
        Who.ANYONE,
        source=(S.PUBLISHED,),
        target=None,  # the review stays published; a revision in draft is created
        label="Revise",
        inputs=TAKES_NOTHING,
        description=(
            "Start a revision of a published review (any newsroom role): a working copy of "
            "its rating, text, evidence, and its claim's fields and appearances, reviewed like a "
            "draft while the published version stays public. 201 with the revision; 409 when "
            "the review already has an open revision (its id is in the message)."
        ),
        wrong_state="Only a published review can be revised; this review is {status}.",
        path="revisions",
    ),
    Rule(
        Action.REVISION_UPDATE,
        "edit",
        CHANGE_REVIEW,
        Who.AUTHORS_OR_EDITORS,
        source=(RS.DRAFT, RS.IN_REVIEW, RS.APPROVED),
        target=RS.DRAFT,
        wrong_state=REVISION_IS_CLOSED,
        subject="revision",
    ),
    Rule(
        Action.REVISION_SUBMIT,
        "submit",
        CHANGE_REVIEW,
        Who.AUTHORS_OR_EDITORS,
        source=(RS.DRAFT,),
        target=RS.IN_REVIEW,
        label="Submit for review",
        inputs=TAKES_COMMENT,
        description="Send a revision in draft for review (an author or an editor).",
        wrong_state="Only a draft revision can be submitted; this revision is {status}.",
        subject="revision",
        path="submit",
    ),
    Rule(
        Action.REVISION_REQUEST_CHANGES,
        "request changes on",
        REVIEW_REVIEW,
        Who.NOT_AUTHORS,
        source=(RS.IN_REVIEW,),
        target=RS.DRAFT,
        label="Request changes",
        inputs=RULES[Action.REQUEST_CHANGES].inputs,
        description=(
            "Send a revision in review back to draft with a comment (an editor who is not one "
            "of its authors)."
        ),
        wrong_state="Changes can be requested only on a revision in review; it is {status}.",
        subject="revision",
        path="request-changes",
    ),
    Rule(
        Action.REVISION_APPROVE,
        "approve",
        REVIEW_REVIEW,
        Who.NOT_AUTHORS,
        source=(RS.IN_REVIEW,),
        target=RS.APPROVED,
        label="Approve",
        inputs=TAKES_COMMENT,
        description="Approve a revision in review (an editor who is not one of its authors).",
        wrong_state="Only a revision in review can be approved; this revision is {status}.",
        subject="revision",
        path="approve",
    ),
    Rule(
        Action.REVISION_PUBLISH,
        "publish",
        PUBLISH_REVIEW,
        Who.ANYONE,
        source=(RS.APPROVED,),
        target=RS.PUBLISHED,
        label="Publish revision",
        inputs=Inputs("PublishRevision", (KIND, NOTE)),
        description=(
            "Publish an approved revision (a publisher) with a `kind` (correction, update, "
            "clarification, verdict_change: a new rating is a verdict change) and a public "
            "`note`: the review's public content is replaced in one transaction, dateModified "
            "set and the correction recorded. 409 when the published review changed since the "
            "revision started (stale: discard it and start again)."
        ),
        wrong_state="Only an approved revision can be published; this revision is {status}.",
        subject="revision",
        path="publish",
    ),
    Rule(
        Action.REVISION_DISCARD,
        "discard",
        CHANGE_REVIEW,
        Who.AUTHORS_OR_EDITORS,
        source=(RS.DRAFT, RS.IN_REVIEW, RS.APPROVED),
        target=RS.DISCARDED,
        label="Discard revision",
        inputs=TAKES_COMMENT,
        description=(
            "Give up a revision that is not published (an author or an editor); the published "
            "review is unchanged. Also DELETE /api/v1/revisions/<id>/."
        ),
        wrong_state="Only an open revision can be discarded; this revision is {status}.",
        subject="revision",
        path="discard",
    ),
]
RULES.update({rule.action: rule for rule in REVISION_RULES})

# The workflow buttons, in the order the admin shows them: a review's, and a revision's.
BUTTONS: tuple[Action, ...] = tuple(
    action for action, rule in RULES.items() if rule.label and rule.subject == "review"
)
REVISION_BUTTONS: tuple[Action, ...] = tuple(
    action for action, rule in RULES.items() if rule.label and rule.subject == "revision"
)


# The audit trail in words (the admin shows these instead of the action's internal name).
EVENT_LABELS: dict[str, str] = {
    "create": "Created",
    "edit": "Edited",
    Action.SUBMIT: "Submitted for review",
    Action.REQUEST_CHANGES: "Changes requested",
    Action.APPROVE: "Approved",
    Action.PUBLISH: "Published",
    Action.CORRECT: "Corrected or updated",
    Action.WITHDRAW: "Withdrawn",
    Action.REOPEN: "Reopened as draft",
    Action.REVISE: "Revision started",
    Action.REVISION_UPDATE: "Revision edited",
    Action.REVISION_SUBMIT: "Revision submitted for review",
    Action.REVISION_REQUEST_CHANGES: "Changes requested on the revision",
    Action.REVISION_APPROVE: "Revision approved",
    Action.REVISION_PUBLISH: "Revision published",
    Action.REVISION_DISCARD: "Revision discarded",
}
