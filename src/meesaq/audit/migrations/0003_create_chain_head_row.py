"""Create the chain's single head row, pointing at the newest event if there already is one."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

GENESIS_HASH = "0" * 64


def create_head(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    db = schema_editor.connection.alias
    last = AuditEvent.objects.using(db).order_by("-sequence").values("sequence", "hash").first()
    AuditChainHead.objects.using(db).get_or_create(
        pk=1,
        defaults=last or {"sequence": 0, "hash": GENESIS_HASH},
    )


def remove_head(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Through a plain queryset: the historical model has no delete() refusal.
    apps.get_model("audit", "AuditChainHead").objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_chain_head"),
    ]

    operations = [
        migrations.RunPython(create_head, remove_head),
    ]
