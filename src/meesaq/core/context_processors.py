"""What every page's shell needs: the navigation for the user's roles."""

from __future__ import annotations

from django.http import HttpRequest

from meesaq.core.navigation import NavItem, navigation_for


def shell(request: HttpRequest) -> dict[str, object]:
    """Return the navigation entries this user may follow."""
    user = getattr(request, "user", None)
    items: list[NavItem] = navigation_for(user) if user is not None else []
    return {"nav_items": items}
