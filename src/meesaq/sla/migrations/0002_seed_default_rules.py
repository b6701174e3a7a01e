"""Seed SPEC.md's default deadline rules (every category) and the settings row."""

from typing import Any

from django.db import migrations

DEFAULTS = {
    # priority: (first contact h, first action h, stage days, resolution days, referral ack h)
    "urgent": (8, 24, 5, 15, 48),
    "high": (24, 72, 10, 30, 48),
    "normal": (24, 168, 15, 60, 48),
}


def seed(apps: Any, schema_editor: Any) -> None:
    rule_model = apps.get_model("sla", "DeadlineRule")
    settings_model = apps.get_model("sla", "SlaSettings")
    for priority, (contact, action, stage, resolution, referral) in DEFAULTS.items():
        rule_model.objects.get_or_create(
            category=None,
            priority=priority,
            defaults={
                "first_contact_hours": contact,
                "first_action_hours": action,
                "stage_days": stage,
                "resolution_days": resolution,
                "referral_ack_hours": referral,
            },
        )
    settings_model.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_deadlines_calendar_contacts_escalations")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
