"""Where to send a user back to after a form: only a path on this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """Return the ``next`` path if it is a path on this site, else the default.

    Only an absolute path is taken: ``redirect()`` would read a bare word such as "home" as a
    URL name to look up, and another site's address would turn the form into an open redirect.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if (
        candidate.startswith("/")
        and not candidate.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return default
