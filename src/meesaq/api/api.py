"""The REST API v1: one NinjaAPI, one router per domain, one error shape, tokens or session."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from meesaq.api import errors
from meesaq.api.auth import CallerRateThrottle, SessionAuth, TokenAuth
from meesaq.api.routers import (
    actions,
    attachments,
    cases,
    directory,
    imports,
    people,
    referrals,
)

DESCRIPTION = """\
Meesaq's API for partner systems, police systems and departments. Every call acts as the
user who owns the token, with exactly that user's access: lists hold only what they may see,
identity only with a need to know (every view of it is audited), and a record you may not see
answers 404 like one that does not exist.

Authenticate with `Authorization: Bearer mq_…` (a personal token from your account page).
Errors always have the shape `{"error": code, "detail": message, "fields": {field: [message]}}`,
in the language of `Accept-Language` (`en` or `ur`). Creates accept an `Idempotency-Key`.
Lists are paged with `cursor` (the previous page's `next_cursor`).
"""

api = NinjaAPI(
    title="Meesaq API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=[TokenAuth(), SessionAuth()],
    throttle=[CallerRateThrottle()],
    # Swagger UI from the files django-ninja ships (served as static files): no CDN.
    docs=Swagger(settings={"persistAuthorization": False}),
)
errors.install(api)
for module in (cases, people, actions, attachments, referrals, directory, imports):
    api.add_router("", module.router)
