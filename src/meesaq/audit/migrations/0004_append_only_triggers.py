"""On PostgreSQL, refuse UPDATE and DELETE of audit events, and DELETE of the chain head, in the
database itself, whoever connects. A no-op on SQLite (development and tests only): there Django's
own test flush empties tables with DELETE, which such a trigger would refuse.

TRUNCATE is deliberately not refused (the test runner's flush uses it); emptying the table is
still caught by `meesaq audit verify`, which compares the events with the chain head.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

INSTALL = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();

CREATE TRIGGER audit_chain_head_kept
    BEFORE DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""

REMOVE = """
DROP TRIGGER IF EXISTS audit_chain_head_kept ON audit_auditchainhead;
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_refuse_change();
"""


def install(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def remove(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_create_chain_head_row"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
