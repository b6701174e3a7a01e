"""Reads of imports: a user's own runs and their reports, worded in the reader's language."""

from __future__ import annotations

import json

from django.http import Http404

from meesaq.accounts.models import User
from meesaq.imports import columns
from meesaq.imports.models import ImportRun


def import_for_user(*, user: User, run_id: int) -> ImportRun:
    """Return one of the user's own imports, or raise 404."""
    run = (
        ImportRun.objects.select_related("organisation").filter(pk=run_id, created_by=user).first()
    )
    if run is None:
        raise Http404
    return run


def imports_of(*, user: User) -> list[ImportRun]:
    """Return the user's newest imports."""
    return list(ImportRun.objects.filter(created_by=user).select_related("organisation")[:20])


def report_of(run: ImportRun) -> list[dict[str, object]]:
    """Return the run's problems worded in the active language."""
    problems: list[dict[str, object]] = json.loads(run.report or "[]")
    for problem in problems:
        args = problem.get("args")
        words = {str(k): str(v) for k, v in args.items()} if isinstance(args, dict) else {}
        problem["problem"] = columns.problem_text(str(problem["code"]), words)
    return problems
