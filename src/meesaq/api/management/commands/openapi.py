"""Write the API's OpenAPI document to docs/api/openapi.json (or print it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meesaq.api.api import api

DEFAULT_PATH = Path("docs/api/openapi.json")


def openapi_document() -> dict[str, Any]:
    """Return the document exactly as /api/v1/openapi.json serves it."""
    document: dict[str, Any] = json.loads(
        json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), default=str)
    )
    return document


class Command(BaseCommand):
    help = "Write the OpenAPI document of the API (docs/api/openapi.json) so the copy stays true."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(DEFAULT_PATH), help="file, or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        text = json.dumps(openapi_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        if options["output"] == "-":
            self.stdout.write(text, ending="")
            return
        Path(options["output"]).write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {options['output']}")
