"""Closing the loop with the complainant: the closure in plain words, the feedback request, the
answer, and a request to reopen that goes to the case's supervisors."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.audit.services import audit_record
from meesaq.cases.models import (
    ActionKind,
    CaseAction,
    ComplainantFeedback,
    FeedbackAnswer,
    FeedbackChannel,
    Status,
)
from meesaq.cases.selectors.feedback import case_supervisors, feedback_latest
from meesaq.core.errors import MeesaqError
from meesaq.notifications import services as notification_services

if TYPE_CHECKING:
    from django.http import HttpRequest

    from meesaq.accounts.models import User
    from meesaq.cases.models import Case

COMMENT_MAX = 2000
# Answers after which the complainant may ask to reopen.
DISSATISFIED = frozenset({FeedbackAnswer.NOT_SATISFIED, FeedbackAnswer.PARTLY})
FEEDBACK_EVENT = "feedback.request"

# The closure explained to the complainant, by outcome code (or by the status that ended the
# case without an outcome). Plain words: no legal terms, no case details.
CLOSURE_EXPLANATIONS: dict[str, Promise] = {
    "remedy_provided": _(
        "Your complaint has been dealt with: the help or remedy you needed was provided."
    ),
    "partial_remedy": _(
        "Your complaint has been dealt with in part: some of the help you needed was provided."
    ),
    "fir_prosecution": _(
        "A police case (FIR) was registered and the matter is now before the court."
    ),
    "referred_completed": _(
        "Your complaint was passed to another office, which has finished its work on it."
    ),
    "not_in_mandate": _(
        "Your complaint is not something this office can deal with; we told you where to go."
    ),
    "withdrawn": _("You withdrew your complaint, so we stopped working on it."),
    "duplicate": _(
        "Your complaint was already recorded; we continue the work on the first record."
    ),
    "unresolved": _("We could not resolve your complaint, although we tried."),
}
STATUS_EXPLANATIONS = {
    Status.NOT_IN_MANDATE: "not_in_mandate",
    Status.WITHDRAWN: "withdrawn",
    Status.DUPLICATE: "duplicate",
}


def reopen_window() -> timedelta:
    """Return how long after closure a reopen may be asked for."""
    return timedelta(days=int(settings.MEESAQ_FEEDBACK_REOPEN_DAYS))


def closure_code(case: Case) -> str:
    """Return the code of the explanation that fits how the case ended, or ""."""
    if case.status in STATUS_EXPLANATIONS:
        return STATUS_EXPLANATIONS[Status(case.status)]
    if case.outcome is not None and case.outcome.code in CLOSURE_EXPLANATIONS:
        return case.outcome.code
    return ""


def closure_explanation(case: Case) -> Promise | None:
    """Return the plain sentence that explains the case's closure, in the active language."""
    code = closure_code(case)
    return CLOSURE_EXPLANATIONS.get(code) if code else None


def closure_explanation_texts(case: Case) -> dict[str, str]:
    """Return the closure's explanation in English and in Urdu (empty when there is none)."""
    sentence = closure_explanation(case)
    if sentence is None:
        return {}
    texts = {}
    for language in ("en", "ur"):
        with translation.override(language):
            texts[language] = str(sentence)
    return texts


def _send_sms(case: Case) -> bool:
    """Ask the notifications module to message the complainant; say whether it took it."""
    try:
        notification_services.message_complainant(
            case=case,
            event=FEEDBACK_EVENT,
            params={"reference": case.reference, "status": str(case.get_status_display())},
        )
    except MeesaqError:
        # No usable phone number, or the channel refused: staff call instead.
        return False
    return True


def feedback_request(
    *, case: Case, actor: User, request: HttpRequest | None = None
) -> ComplainantFeedback:
    """Ask the complainant for feedback after closure: by SMS, else a call task for staff.

    Nobody is contacted without the complainant's consent to contact; the request is still
    recorded, so staff can note an answer given in person.
    """
    now = timezone.now()
    with transaction.atomic():
        if not case.consent_contact:
            channel = FeedbackChannel.NONE
        elif _send_sms(case):
            channel = FeedbackChannel.SMS
        else:
            channel = FeedbackChannel.CALL
            CaseAction.objects.create(
                case=case,
                kind=ActionKind.FOLLOW_UP,
                occurred_on=timezone.localdate(now),
                next_action_on=timezone.localdate(now) + timedelta(days=2),
                author=actor,
                note=str(_("Call the complainant for feedback")),
            )
        feedback = ComplainantFeedback(case=case, requested_at=now, channel=channel)
        feedback.full_clean()
        feedback.save()
        audit_record(
            actor=actor,
            action="cases.feedback_requested",
            target=case,
            request=request,
            detail={"channel": str(channel)},
        )
    return feedback


def _latest_or_refuse(case: Case) -> ComplainantFeedback:
    feedback = feedback_latest(case=case)
    if feedback is None:
        raise MeesaqError(
            _("No feedback has been asked for on this case."), code="no_feedback_request"
        )
    return feedback


def _require_act(actor: User, case: Case) -> None:
    if not policy.may(actor, "cases.act", case):
        raise MeesaqError(
            _("Your role cannot record the complainant's feedback on this case."), code="forbidden"
        )


def feedback_record_answer(
    *,
    actor: User,
    case: Case,
    answer: str,
    comment: str = "",
    request: HttpRequest | None = None,
) -> ComplainantFeedback:
    """Record the complainant's answer to the latest feedback request."""
    _require_act(actor, case)
    if answer not in FeedbackAnswer.values:
        raise MeesaqError(
            _("Choose the complainant's answer."),
            code="answer_invalid",
            fields={"answer": [_("Choose the complainant's answer.")]},
        )
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise MeesaqError(
            _("Keep the comment under %(count)d characters.") % {"count": COMMENT_MAX},
            code="comment_too_long",
            fields={"comment": [_("This comment is too long.")]},
        )
    with transaction.atomic():
        feedback = ComplainantFeedback.objects.select_for_update().get(
            pk=_latest_or_refuse(case).pk
        )
        feedback.answer = answer
        feedback.comment = comment
        feedback.recorded_by = actor
        feedback.answered_at = timezone.now()
        feedback.full_clean()
        feedback.save()
        audit_record(
            actor=actor,
            action="cases.feedback_recorded",
            target=case,
            request=request,
            detail={"answer": answer, "with_comment": bool(comment)},
        )
    return feedback


def reopen_deadline(case: Case) -> datetime | None:
    """Return until when a reopen may be asked for, or None when the case is not closed."""
    if case.status != Status.CLOSED or case.closed_at is None:
        return None
    return case.closed_at + reopen_window()


def may_request_reopen(*, case: Case, feedback: ComplainantFeedback | None) -> bool:
    """Say whether a reopen request may be recorded now (closed, dissatisfied, in the window)."""
    deadline = reopen_deadline(case)
    return (
        feedback is not None
        and feedback.answer in DISSATISFIED
        and feedback.reopen_requested_at is None
        and deadline is not None
        and timezone.now() <= deadline
    )


def feedback_reopen_request(
    *, actor: User, case: Case, request: HttpRequest | None = None
) -> ComplainantFeedback:
    """Record that the dissatisfied complainant asks to reopen the case; tell its supervisors."""
    _require_act(actor, case)
    with transaction.atomic():
        feedback = ComplainantFeedback.objects.select_for_update().get(
            pk=_latest_or_refuse(case).pk
        )
        if feedback.reopen_requested_at is not None:
            raise MeesaqError(
                _("A reopen has already been asked for on this case."), code="reopen_already"
            )
        if feedback.answer not in DISSATISFIED:
            raise MeesaqError(
                _("Record first that the complainant is not satisfied."),
                code="reopen_not_dissatisfied",
            )
        deadline = reopen_deadline(case)
        if deadline is None:
            raise MeesaqError(_("Only a closed case can be reopened."), code="reopen_not_closed")
        if timezone.now() > deadline:
            raise MeesaqError(
                _("The time to ask for a reopen (%(days)d days after closure) has passed.")
                % {"days": reopen_window().days},
                code="reopen_window_passed",
            )
        feedback.reopen_requested_at = timezone.now()
        feedback.reopen_requested_by = actor
        feedback.full_clean()
        feedback.save()
        audit_record(
            actor=actor, action="cases.reopen_requested", target=case, request=request, detail={}
        )
        notification_services.notify(
            recipients=case_supervisors(case=case),
            event="cases.reopen_requested",
            text=_("The complainant of case %(reference)s is not satisfied and asks to reopen it."),
            params={"reference": case.reference},
            link=reverse("cases:detail", kwargs={"reference": case.reference}),
            case=case,
        )
    return feedback
