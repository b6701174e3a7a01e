"""Who may look after the running system: the job queue and the message templates.

Only administrators. Job rows and templates hold no case identity, but job arguments can hold
phone numbers, so the jobs page never shows argument values.
"""

from __future__ import annotations

from meesaq.access.policy import register_action, role_rule
from meesaq.access.roles import Role


def register() -> None:
    """Register the system rules (called from the notifications app's ready())."""
    register_action("system.jobs", role_rule(Role.ADMINISTRATOR))
    register_action("notifications.templates", role_rule(Role.ADMINISTRATOR))
