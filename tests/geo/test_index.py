"""The "within" queries (path LIKE 'prefix/%') have an index to use on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from meesaq.geo.models import AdminUnit
from meesaq.geo.selectors import unit_descendants

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="operator classes exist only on PostgreSQL"
)


def test_the_path_has_a_pattern_ops_index(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s",
            [AdminUnit._meta.db_table],
        )
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("(path varchar_pattern_ops)" in definition for definition in definitions)


def test_the_descendants_query_uses_an_index(db: None) -> None:
    punjab = AdminUnit.objects.get(pcode="PK6")
    queryset = unit_descendants(punjab)
    with connection.cursor() as cursor:
        # With sequential scans priced out, the plan shows whether an index can serve the LIKE.
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "geo_adminunit_path" in plan
