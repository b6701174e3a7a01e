"""The `meesaq` command: Django's management commands plus `serve` and `setup`.

meesaq setup            migrate, load places, collect static files, create the demo province
meesaq serve            run the site with gunicorn on 127.0.0.1:$PORT (default 8000) and one job
                        worker beside it (MEESAQ_RUN_WORKER=false leaves the worker out)
meesaq worker           run background jobs (and the periodic tick every minute)
meesaq tick             enqueue the periodic jobs that are due (for a system timer)
meesaq demo             create the demo province (development mode only)
meesaq check --deploy   report production misconfiguration in plain words
meesaq rotate-keys      re-encrypt identity fields with the newest key
meesaq audit verify     verify the audit trail's hash chain
meesaq backup           write an encrypted backup (database snapshot, files, manifest)
meesaq restore F --verify|--yes   check a backup in a scratch database, or restore it
meesaq <django command> anything else manage.py knows
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from types import FrameType

# Spelled with hyphens on the command line, with underscores as Django command modules.
ALIASES = {"rotate-keys": "rotate_keys", "load-places": "load_places"}


def _gunicorn_command(args: list[str]) -> list[str]:
    port = os.environ.get("PORT", "8000")
    host = os.environ.get("HOST", "127.0.0.1")
    workers = os.environ.get("MEESAQ_WEB_WORKERS", "3")
    threads = os.environ.get("MEESAQ_WEB_THREADS", "2")
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "meesaq.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        workers,
        # Threaded workers: a long download (a province's export streams for minutes) keeps
        # its worker alive, where a sync worker is killed after gunicorn's 30 s timeout; a
        # second thread also serves while the first waits on the database.
        "--worker-class",
        "gthread",
        "--threads",
        threads,
        "--access-logfile",
        "-",
        # The access log records method, path and status only: no query strings, no addresses.
        "--access-logformat",
        '{"method":"%(m)s","path":"%(U)s","status":"%(s)s","ms":"%(M)s"}',
        "--forwarded-allow-ips",
        os.environ.get("MEESAQ_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        *args,
    ]


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _serve(args: list[str]) -> int:
    """Run gunicorn and, unless MEESAQ_RUN_WORKER is false, one job worker beside it."""
    from django.conf import settings

    run_worker = bool(settings.MEESAQ_RUN_WORKER)
    server_command = _gunicorn_command(args)
    host, port = server_command[server_command.index("--bind") + 1].rsplit(":", 1)
    print(f"Meesaq is serving at http://{host}:{port}/ ({settings.MODE} mode)", flush=True)
    worker = None
    if run_worker:
        worker = subprocess.Popen([sys.executable, "-m", "meesaq.cli", "worker"])
    server = subprocess.Popen(server_command)  # noqa: S603  # a fixed argument list, no shell

    def forward(signum: int, frame: FrameType | None) -> None:
        # Stopping the service stops both; gunicorn shuts down gracefully on SIGTERM/SIGINT.
        server.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, forward)
    try:
        code = server.wait()
    finally:
        if worker is not None:
            _stop(worker)
        _stop(server)
    return code


def main(argv: list[str] | None = None) -> None:
    """Run a `meesaq` subcommand."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meesaq.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    import django
    from django.core.management import execute_from_command_line

    if args and args[0] == "serve":
        django.setup()
        sys.exit(_serve(args[1:]))
    if args:
        args[0] = ALIASES.get(args[0], args[0])
    execute_from_command_line(["meesaq", *args])


if __name__ == "__main__":
    main()
