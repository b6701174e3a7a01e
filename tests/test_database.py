"""The suite runs on the database CI asked for: a PostgreSQL run can never quietly use SQLite."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_suite_runs_on_the_expected_database() -> None:
    expected = os.environ.get("MEESAQ_EXPECT_DATABASE")
    if expected is None:
        expected = (
            "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
        )
    assert connection.vendor == expected
