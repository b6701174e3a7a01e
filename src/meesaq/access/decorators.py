"""Every view declares its access rule; the URL walk test fails on any view that does not."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase

from meesaq.access import policy

View = TypeVar("View", bound=Callable[..., HttpResponseBase])
ACCESS_ATTRIBUTE = "meesaq_access_rule"


def page(action: str) -> Callable[[View], View]:
    """Guard a view with an access action.

    ``policy.PUBLIC`` lets anyone in; any other action sends visitors who are not signed in to
    the sign-in page, and answers 404 to signed-in users whom the rule refuses.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if action != policy.PUBLIC and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            policy.require(request.user, action)
            return view(request, *args, **kwargs)

        setattr(guarded, ACCESS_ATTRIBUTE, action)
        return guarded  # type: ignore[return-value]  # wraps keeps the signature

    return decorate


def declared_rule(view: Callable[..., Any]) -> str | None:
    """Return the access action a view declared, if any."""
    rule: str | None = getattr(view, ACCESS_ATTRIBUTE, None)
    if rule is None and hasattr(view, "view_class"):
        rule = getattr(view.view_class, ACCESS_ATTRIBUTE, None)
    return rule
