"""The OpenAPI document: served, equal to the committed copy, every operation with examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from meesaq.api.management.commands.openapi import DEFAULT_PATH, openapi_document

COMMITTED = Path(__file__).resolve().parents[2] / DEFAULT_PATH
METHODS = {"get", "post", "put", "patch", "delete"}


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _expand(value: Any, schemas: dict[str, Any], seen: frozenset[str] = frozenset()) -> Any:
    if isinstance(value, dict):
        ref = value.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            return {} if name in seen else _expand(schemas[name], schemas, seen | {name})
        return {key: _expand(item, schemas, seen) for key, item in value.items()}
    if isinstance(value, list):
        return [_expand(item, schemas, seen) for item in value]
    return value


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _value in pairs]
    assert len(keys) == len(set(keys)), f"repeated keys: {keys}"
    return dict(pairs)


@pytest.mark.django_db
def test_the_served_document_is_the_committed_one() -> None:
    served = Client().get("/api/v1/openapi.json")
    assert served.status_code == 200
    # A key twice (an int 200 beside a "200") is valid to Python but breaks Swagger UI.
    json.loads(served.content, object_pairs_hook=_no_repeated_keys)
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert served.json() == committed, "the API changed: run `make openapi` and commit the file"
    assert openapi_document() == committed


def test_every_operation_has_a_summary_a_description_and_examples() -> None:
    document = openapi_document()
    schemas = document["components"]["schemas"]
    missing = []
    for path, method, operation in _operations(document):
        expanded = json.dumps(_expand(operation, schemas))
        if not operation.get("summary") or not operation.get("description"):
            missing.append(f"{method} {path}: summary/description")
        if '"examples"' not in expanded and '"example"' not in expanded:
            missing.append(f"{method} {path}: examples")
    assert missing == []


def test_every_operation_answers_errors_in_the_one_shape() -> None:
    document = openapi_document()
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        for code in ("401", "404", "422"):
            assert code in responses, f"{method} {path} lacks {code}"
            ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorOut")


def test_every_operation_needs_a_token_or_the_session() -> None:
    document = openapi_document()
    assert {"TokenAuth", "SessionAuth"} <= set(document["components"]["securitySchemes"])
    for path, method, operation in _operations(document):
        assert operation.get("security"), f"{method} {path} is open"


@pytest.mark.django_db
def test_the_interactive_docs_load_swagger_from_our_static_files_under_the_csp() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert Client().get("/static/ninja/swagger-ui-bundle.js").status_code == 200
