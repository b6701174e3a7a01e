"""Webhook receivers must be public addresses: no loopback, private, link-local or reserved ones.

An administrator's mistake (or a compromised administrator account) must not turn Meesaq into a
probe of its own network: a webhook to 127.0.0.1, 10.x, 169.254.169.254 (cloud metadata) or
another inside address is refused when registered and checked again before every delivery,
because a public name can later resolve inside (DNS rebinding). Deliveries do not follow
redirects for the same reason. ``MEESAQ_WEBHOOK_ALLOW_PRIVATE`` lifts the rule for a receiver
on the same network (and for the tests' local receiver).
"""

from __future__ import annotations

import ipaddress
import socket

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def address_refusal(host: str) -> Promise | None:
    """Return why a receiver's host may not be called, or None when every address is public."""
    if settings.MEESAQ_WEBHOOK_ALLOW_PRIVATE:
        return None
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        return _("This address cannot be found.")
    for _family, _kind, _proto, _name, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if not address.is_global:
            return _("This address is inside a private network; give a public address.")
    return None
