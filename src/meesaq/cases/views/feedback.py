"""The feedback part of the case page: the closure in plain words, the complainant's answer and a
request to reopen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.cases.models import Case, FeedbackAnswer
from meesaq.cases.selectors.feedback import feedback_for_case
from meesaq.cases.services import feedback as services
from meesaq.core.errors import MeesaqError

if TYPE_CHECKING:
    from meesaq.accounts.models import User

POST_ONLY = ["POST"]


class FeedbackAnswerForm(forms.Form):
    """The complainant's answer, as staff heard it."""

    answer = forms.ChoiceField(
        label=gettext_lazy("The complainant's answer"), choices=FeedbackAnswer.choices
    )
    comment = forms.CharField(
        label=gettext_lazy("What the complainant said"),
        required=False,
        max_length=services.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=gettext_lazy("Optional. Stored encrypted."),
    )


def feedback_section(
    *, request: HttpRequest, user: User, case: Case, identity_visible: bool | None = None
) -> dict[str, Any]:
    """Return the feedback section's context: explanation, requests, answer form, reopen.

    The case page passes the identity decision it made (``identity_visible``).
    """
    if identity_visible is None:
        identity_visible = policy.may_see_identity(user, case)
    requests = list(feedback_for_case(case=case))
    latest = requests[0] if requests else None
    may_act = policy.may(user, "cases.act", case)
    reference = {"reference": case.reference}
    return {
        "case": case,
        "explanation": services.closure_explanation(case),
        "requests": requests,
        "latest": latest,
        # The complainant's words may name people: shown only to those who see identity.
        "comments_visible": identity_visible,
        "answer_form": (
            FeedbackAnswerForm(auto_id="id_feedback_%s") if may_act and latest is not None else None
        ),
        "answer_url": reverse("cases:feedback_answer", kwargs=reference),
        "may_request_reopen": may_act and services.may_request_reopen(case=case, feedback=latest),
        "reopen_deadline": services.reopen_deadline(case),
        "reopen_url": reverse("cases:feedback_reopen", kwargs=reference),
    }


@page("cases.list")
def feedback_answer(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Record the complainant's answer to the latest feedback request (POST)."""
    user = policy.acting_user(request)
    case = policy.get_scoped(user, Case, reference=reference)
    if request.method != "POST":
        return HttpResponseNotAllowed(POST_ONLY)
    form = FeedbackAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the complainant's answer."))
        return redirect(case.get_absolute_url())
    try:
        services.feedback_record_answer(
            actor=user,
            case=case,
            answer=form.cleaned_data["answer"],
            comment=form.cleaned_data["comment"],
            request=request,
        )
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The complainant's answer is recorded."))
    return redirect(case.get_absolute_url())


@page("cases.list")
def feedback_reopen(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Record that the complainant asks to reopen the case, and tell its supervisors (POST)."""
    user = policy.acting_user(request)
    case = policy.get_scoped(user, Case, reference=reference)
    if request.method != "POST":
        return HttpResponseNotAllowed(POST_ONLY)
    try:
        services.feedback_reopen_request(actor=user, case=case, request=request)
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("The reopen request is recorded; the supervisors have been told.")
        )
    return redirect(case.get_absolute_url())
