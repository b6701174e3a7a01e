"""The unread count in the page header."""

from __future__ import annotations

from django import template

from meesaq.notifications.models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    """Return how many of the signed-in user's notifications are unread."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
