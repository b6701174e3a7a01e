"""Imports run as jobs: a long file does not hold a web request, and the page shows progress."""

from __future__ import annotations

from meesaq.core.tasks import retried_task


# One attempt: an import that stopped on a row is reported, not tried again.
@retried_task(attempts=1)
def run_import(run_id: int) -> str:
    """Import a queued file all or nothing."""
    from meesaq.imports.services import import_execute

    return str(import_execute(run_id=run_id).status)
