"""Count the SQL statements of each request (header ``X-Bench-Queries``), and on request
(``X-Bench-Capture: 1``) keep them for the raw-SQL baseline.

Loaded only by ``bench/settings.py``. Captured statements are pickled into
``VAR_DIR/bench-capture/``; their parameters hold blind indexes and ciphertext, never plain
identity, and the runner deletes the files after reading them.
"""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse

CAPTURE_DIR = "bench-capture"


class QueryCountMiddleware:
    """Wrap every database call of a request to count (and maybe keep) it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Serve the request, counting its statements."""
        statements: list[tuple[str, Any]] = []

        def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            statements.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(wrapper):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(len(statements))
        if request.headers.get("X-Bench-Capture") == "1":
            folder = Path(settings.VAR_DIR) / CAPTURE_DIR
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{uuid.uuid4().hex}.pickle"
            path.write_bytes(pickle.dumps(statements))
            response["X-Bench-Capture-File"] = path.name
        return response
