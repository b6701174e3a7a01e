"""The `meesaq` command: Django's management commands plus `serve` and `setup`.

meesaq setup            migrate, load places, collect static files, create the demo province
meesaq serve            run the site with gunicorn on 127.0.0.1:$PORT (default 8000)
meesaq demo             create the demo province (development mode only)
meesaq check --deploy   report production misconfiguration in plain words
meesaq rotate-keys      re-encrypt identity fields with the newest key
meesaq audit verify     verify the audit trail's hash chain
meesaq <django command> anything else manage.py knows
"""

from __future__ import annotations

import os
import sys

# Spelled with hyphens on the command line, with underscores as Django command modules.
ALIASES = {"rotate-keys": "rotate_keys", "load-places": "load_places"}


def _serve(args: list[str]) -> None:
    """Replace this process with gunicorn serving the WSGI application."""
    from django.conf import settings

    port = os.environ.get("PORT", "8000")
    host = os.environ.get("HOST", "127.0.0.1")
    workers = os.environ.get("MEESAQ_WEB_WORKERS", "3")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "meesaq.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        workers,
        "--access-logfile",
        "-",
        # The access log records method, path and status only: no query strings, no addresses.
        "--access-logformat",
        '{"method":"%(m)s","path":"%(U)s","status":"%(s)s","ms":"%(M)s"}',
        "--forwarded-allow-ips",
        os.environ.get("MEESAQ_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        *args,
    ]
    print(f"Meesaq is serving at http://{host}:{port}/ ({settings.MODE} mode)", flush=True)
    os.execv(sys.executable, command)  # noqa: S606  # a fixed argument list, no shell


def main(argv: list[str] | None = None) -> None:
    """Run a `meesaq` subcommand."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meesaq.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    import django
    from django.core.management import execute_from_command_line

    if args and args[0] == "serve":
        django.setup()
        _serve(args[1:])
        return
    if args:
        args[0] = ALIASES.get(args[0], args[0])
    execute_from_command_line(["meesaq", *args])


if __name__ == "__main__":
    main()
