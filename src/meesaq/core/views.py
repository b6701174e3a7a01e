"""The home page, the liveness and readiness checks, and the error pages."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.core.health import readiness
from meesaq.core.selectors import home_summary_for_user


@page(policy.SIGNED_IN)
def home(request: HttpRequest) -> HttpResponse:
    """Show the user's roles, organisations and the work open to them."""
    return render(
        request,
        "core/home.html",
        {"summary": home_summary_for_user(user=policy.acting_user(request))},
    )


@page(policy.PUBLIC)
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer that the process is alive (liveness; it touches nothing else)."""
    return JsonResponse({"status": "ok"})


@page(policy.PUBLIC)
def readyz(request: HttpRequest) -> JsonResponse:
    """Answer whether the database, the job queue and file storage are usable, as JSON."""
    state = readiness()
    return JsonResponse(
        {
            "status": "ok" if state.ok else "unavailable",
            "database": state.database,
            "database_engine": connection.vendor,
            "task_queue": state.task_queue,
            "oldest_waiting_job_seconds": state.oldest_waiting_job_seconds,
            "storage": state.storage,
        },
        status=200 if state.ok else 503,
    )


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    # Error pages never show a trace or the request's data; only a plain explanation.
    return render(
        request,
        "core/error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Answer 400 in the user's language."""
    return _error_page(
        request, 400, _("The request could not be understood"), _("Please go back and try again.")
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Answer 403 in the user's language."""
    return _error_page(
        request,
        403,
        _("This action is not allowed"),
        _("If you think you should be able to do this, ask your supervisor or administrator."),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Answer 404 in the user's language; also what forbidden objects answer."""
    return _error_page(
        request,
        404,
        _("Page not found"),
        _("The page does not exist, or you do not have access to it."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer 500 in the user's language, with no technical detail."""
    return _error_page(
        request,
        500,
        _("Something went wrong"),
        _(
            "The problem has been recorded. Please try again; "
            "if it happens again, tell your administrator."
        ),
    )
