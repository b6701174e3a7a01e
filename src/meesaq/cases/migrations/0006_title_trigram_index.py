"""A trigram index on case titles (PostgreSQL), for the list's title-word search.

The search is ``UPPER(title) LIKE UPPER('%word%')`` (Django's ``icontains``); without an index a
word that few titles hold is looked for in every case in reach. pg_trgm ships with PostgreSQL
(a trusted extension: a database owner may create it). SQLite has no such index and needs none
at its sizes.
"""

from django.db import migrations

INDEX = "case_title_trgm"


def create(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001  # the migration API
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_case "
        "USING gin ((UPPER(title::text)) gin_trgm_ops)"
    )


def drop(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001  # the migration API
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_name_token_lookup")]

    operations = [migrations.RunPython(create, drop)]
