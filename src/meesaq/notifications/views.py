"""The user's own notifications, and the administrators' job queue and message templates."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.accounts.forms import show_error
from meesaq.core.errors import MeesaqError
from meesaq.notifications import selectors
from meesaq.notifications.forms import MessageTemplateForm
from meesaq.notifications.models import MessageTemplate, Notification
from meesaq.notifications.services import (
    allowed_placeholders,
    job_retry,
    notification_mark_read,
    template_update,
)

PAGE_SIZE = 50


@page(policy.SIGNED_IN)
def notification_list(request: HttpRequest) -> HttpResponseBase:
    """List the user's notifications; POST marks one (``id``) or all as read."""
    user = policy.acting_user(request)
    if request.method == "POST":
        raw = request.POST.get("id", "")
        notification_mark_read(user=user, notification_id=int(raw) if raw.isdigit() else None)
        return redirect("notifications:list")
    rows = Notification.objects.filter(recipient=user)[:PAGE_SIZE]
    response: HttpResponse = render(request, "notifications/list.html", {"notifications": rows})
    return response


@page("system.jobs")
def job_list(request: HttpRequest) -> HttpResponseBase:
    """List queued, running and failed jobs; POST ``job`` runs a failed one again."""
    admin = policy.acting_user(request)
    if request.method == "POST":
        try:
            job_retry(actor=admin, job_id=request.POST.get("job", ""), request=request)
        except MeesaqError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The job was queued again."))
        return redirect("notifications:jobs")
    status = request.GET.get("status", "")
    page_obj = Paginator(selectors.jobs_queryset(status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [selectors.job_row(job) for job in page_obj.object_list]
    response: HttpResponse = render(
        request,
        "notifications/jobs.html",
        {
            "page_obj": page_obj,
            "jobs": rows,
            "status": status,
            "statuses": [
                ("READY", _("Queued")),
                ("RUNNING", _("Running")),
                ("FAILED", _("Failed")),
            ],
        },
    )
    return response


@page("notifications.templates")
def template_list(request: HttpRequest) -> HttpResponseBase:
    """List the message templates of every event and channel."""
    response: HttpResponse = render(
        request, "notifications/templates.html", {"templates": selectors.message_templates()}
    )
    return response


@page("notifications.templates")
def template_edit(request: HttpRequest, template_id: int) -> HttpResponseBase:
    """Change a template's English and Urdu words, with the placeholders its event allows."""
    admin = policy.acting_user(request)
    template = selectors.message_templates().filter(pk=template_id).first()
    if template is None:
        raise Http404
    form = MessageTemplateForm(
        request.POST or None,
        initial={"text_en": template.text_en, "text_ur": template.text_ur},
    )
    if request.method == "POST" and form.is_valid():
        try:
            template_update(
                actor=admin,
                template=template,
                text_en=form.cleaned_data["text_en"],
                text_ur=form.cleaned_data["text_ur"],
                request=request,
            )
        except MeesaqError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The message template was saved."))
            return redirect("notifications:templates")
    return _render_edit(request, template, form)


def _render_edit(
    request: HttpRequest, template: MessageTemplate, form: MessageTemplateForm
) -> HttpResponse:
    allowed = allowed_placeholders(event=template.event, channel=template.channel)
    return render(
        request,
        "notifications/template_edit.html",
        {
            "message_template": template,
            "form": form,
            "placeholders": ["{" + name + "}" for name in sorted(allowed)],
        },
    )
