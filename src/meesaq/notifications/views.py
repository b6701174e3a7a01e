"""The user's own notifications: newest first, marked read one by one or all at once."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.notifications.models import Notification
from meesaq.notifications.services import notification_mark_read

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
