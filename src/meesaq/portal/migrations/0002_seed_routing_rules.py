"""Seed the routing rules the issue names; administrators change them on the routing page.

Everything else falls back to the district's police Meesaq Centre, then its human-rights or
minorities office, then the province's department (see portal.selectors.routing_organisation).
"""

from django.db import migrations

# Discrimination in services belongs to the human-rights district office; a complaint about the
# police must not land at the police.
RULES = [
    ("discrimination", "human_rights_office"),
    ("police_misconduct", "human_rights_office"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    RoutingRule = apps.get_model("portal", "RoutingRule")
    for code, kind in RULES:
        category = Category.objects.filter(code=code).first()
        if category is not None and not RoutingRule.objects.filter(
            category=category, group=None, district=None
        ).exists():
            RoutingRule.objects.create(category=category, organisation_kind=kind)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_routing_tickets_throttle_inbound"),
        ("cases", "0004_portal_moderation_public_notes"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
