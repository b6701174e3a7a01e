"""One error shape for every failure: ``{"error": code, "detail": message, "fields": {...}}``.

Messages are in the caller's language (Accept-Language). Missing and forbidden objects answer
the same 404, so the API never confirms that a record exists.
"""

from __future__ import annotations

from typing import Any

from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from meesaq.core.errors import MeesaqError

# Service refusals that mean "the record is not in a state for this" rather than "bad input".
CONFLICT_CODES = frozenset(
    {
        "illegal_transition",
        "illegal_step",
        "already_referred",
        "case_not_open",
        "open_referrals",
        "parent_not_accepted",
        "idempotency_conflict",
    }
)
TOO_MANY = 429
BAD_REQUEST = 400
FORBIDDEN_CODES = frozenset({"forbidden", "token_read_only", "second_factor_required"})


class ErrorOut(Schema):
    """Every error the API answers."""

    error: str
    detail: str
    fields: dict[str, list[str]]


ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}
READ_ERRORS = dict.fromkeys((400, 401, 404, 422, 429), ErrorOut)


def error_body(
    code: str, detail: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """Return the API's error body."""
    return {"error": code, "detail": detail, "fields": fields or {}}


def status_for(error: MeesaqError) -> int:
    """Return the HTTP status of a service's refusal."""
    if error.code == "not_found":
        return 404
    if error.code in FORBIDDEN_CODES:
        return 403
    if error.code in CONFLICT_CODES:
        return 409
    return 422


def _field_message(kind: str) -> str:
    if kind == "missing":
        return _("This field is required.")
    if kind in {"string_too_long", "too_long"}:
        return _("This value is too long.")
    return _("This value is not valid.")


def _field_name(location: list[Any] | tuple[Any, ...]) -> str:
    # ("body", "payload", "title") → "title"; ("query", "status") → "status".
    parts = [str(part) for part in location[1:] if part not in {"payload", "filters", "data"}]
    return ".".join(parts) or "body"


def install(api: NinjaAPI) -> None:
    """Make every failure of the API answer in the one shape."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(MeesaqError)
    def meesaq_error(request: HttpRequest, error: MeesaqError) -> HttpResponse:
        return respond(request, status_for(error), error.as_dict())

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", _("Not found.")))

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for item in error.errors:
            name = _field_name(item.get("loc", ()))
            fields.setdefault(name, []).append(_field_message(str(item.get("type", ""))))
        return respond(
            request, 422, error_body("invalid", _("Please correct the marked fields."), fields)
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        response = respond(
            request,
            401,
            error_body(
                "not_authenticated",
                _("Send a valid API token (Authorization: Bearer …) or sign in."),
            ),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(AuthorizationError)
    def unauthorised(request: HttpRequest, error: AuthorizationError) -> HttpResponse:
        return respond(request, 403, error_body("forbidden", _("You cannot do this.")))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        status = error.status_code
        if status == TOO_MANY:
            return respond(
                request, 429, error_body("throttled", _("Too many requests: wait a moment."))
            )
        if status == BAD_REQUEST:
            return respond(
                request, 400, error_body("bad_request", _("The request could not be read."))
            )
        return respond(request, status, error_body("error", str(error)))

    @api.exception_handler(DataError)
    def unstorable(request: HttpRequest, error: DataError) -> HttpResponse:
        # The database refused a value (e.g. a NUL character, which PostgreSQL text cannot
        # hold); the service's transaction was rolled back, so nothing was written.
        return respond(
            request,
            422,
            error_body("invalid", _("The request holds characters that cannot be stored.")),
        )

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, error: Exception) -> HttpResponse:
        import logging

        logging.getLogger("meesaq.api").exception("API request failed")
        return respond(
            request, 500, error_body("server_error", _("Something went wrong on our side."))
        )
