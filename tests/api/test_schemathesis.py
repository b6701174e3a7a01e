"""schemathesis against the served OpenAPI document: no server error, no schema violation.

Every operation is called with a bounded number of generated examples (valid and not), as a
case officer with a token, in-process through the WSGI application: no network is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import make_token
from tests.cases.factories import add_person, make_case
from tests.personas import build_world

EXAMPLES_PER_OPERATION = 8
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def served_schema(db: None, settings: Any) -> Iterator[Any]:
    """Load the document the API serves, and point schemathesis at the app in-process."""
    settings.MEESAQ_API_RATE = "100000/m"
    settings.ALLOWED_HOSTS = ["*"]
    # As Django's test client does: a request must not close the test's own connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(db: None) -> Iterator[str]:
    """Return a case officer's token in a world with a case, a person and a referral."""
    world = build_world()
    case = make_case(organisation=world.lahore_centre, recorded_by=world.intake_officer)
    add_person(case)
    yield make_token(world.case_officer)


def test_the_api_keeps_its_openapi_promises(
    served_schema: Any, token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    failures: list[str] = []
    calls: list[str] = []
    operations = [result.ok() for result in served_schema.get_all_operations()]
    assert len(operations) > 20

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            response = case.call(headers=headers)
            calls.append(case.operation.label)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except Exception as error:  # every operation is tried; all failures listed
            failures.append(f"{operation.label}: {str(error)[:2000]}")
    with capsys.disabled():
        print(f"\nschemathesis: {len(calls)} generated calls to {len(operations)} operations")
    assert failures == [], "\n\n".join(failures)
