"""Keep what staff search for out of addresses: the search box's text lives in the session.

A CNIC, phone number or name typed into the case list's search box would otherwise sit in the
browser's history, in bookmarks and in any proxy's log. The list's form is posted; the query is
kept, encrypted, in the user's session under a random token, and the list's address carries
only ``search=<token>``, which means nothing to anyone else and ends with the session.
"""

from __future__ import annotations

import secrets

from django.http import HttpRequest, QueryDict

from meesaq.crypto.keyring import CryptoError, decrypt, encrypt

SESSION_KEY = "case_searches"
PARAMETER = "search"
KEPT = 20  # the most recent searches of a session that paging and sorting can return to
_ASSOCIATED = b"cases.search_terms"


def search_remember(request: HttpRequest, query: str) -> str:
    """Keep a query in the session and return the token that stands for it."""
    kept: dict[str, str] = dict(request.session.get(SESSION_KEY, {}))
    token = secrets.token_urlsafe(9)
    kept[token] = encrypt(query, associated=_ASSOCIATED)
    request.session[SESSION_KEY] = dict(list(kept.items())[-KEPT:])
    return token


def search_recall(request: HttpRequest, token: str) -> str | None:
    """Return the query a token stands for in this session, or None if it has ended."""
    sealed = request.session.get(SESSION_KEY, {}).get(token)
    if not isinstance(sealed, str):
        return None
    try:
        return decrypt(sealed, associated=_ASSOCIATED)
    except CryptoError:
        return None


def search_address_parameters(request: HttpRequest, submitted: QueryDict) -> QueryDict:
    """Return the list address's parameters for a submitted form: filters, and a search token."""
    parameters = QueryDict(mutable=True)
    for name, values in submitted.lists():
        if name in {"csrfmiddlewaretoken", "q", PARAMETER, "cursor"}:
            continue
        kept = [value for value in values if value]
        if kept:
            parameters.setlist(name, kept)
    query = submitted.get("q", "").strip()
    if query:
        parameters[PARAMETER] = search_remember(request, query)
    return parameters


def search_form_data(request: HttpRequest) -> tuple[QueryDict, bool]:
    """Return the list form's data from the address, the query restored from its token.

    The second value says whether the address named a search that has ended (a token from
    another session, or one past the newest searches kept).
    """
    data = request.GET.copy()
    token = data.pop(PARAMETER, [""])[-1]
    if not token:
        return data, False
    query = search_recall(request, token)
    if query is None:
        return data, True
    data["q"] = query
    return data, False
