"""`meesaq worker`: run background jobs, and the periodic tick every minute beside them."""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from meesaq.core.tasks import tick

logger = logging.getLogger(__name__)


def _tick_forever(every: float, stop: threading.Event) -> None:
    while not stop.wait(every):
        try:
            tick()
        except Exception:
            # A failed tick (a locked database, a bad job module) must not stop the worker.
            logger.exception("Periodic tick failed")
        finally:
            # The thread has its own connection; give it back rather than hold it open.
            connection.close()


class Command(BaseCommand):
    help = "Run the background job worker (django-tasks-db) with the periodic tick."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--tick-every",
            type=float,
            default=60.0,
            help="Seconds between periodic ticks; 0 turns them off (default: 60).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when the queue is empty (default: 1).",
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run the jobs waiting now, then exit."
        )
        parser.add_argument("--worker-id", default=None, help="A unique id for this worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        if options["tick_every"] > 0 and not options["batch"]:
            close_old_connections()
            tick()
            threading.Thread(
                target=_tick_forever, args=(options["tick_every"], stop), daemon=True
            ).start()
        worker_options: dict[str, Any] = {
            "queue_name": "*",
            "interval": options["interval"],
            "batch": options["batch"],
            # Reloading could kill a job half-way; restart the worker after a code change.
            "reload": False,
            "startup_delay": False,
            "verbosity": options["verbosity"],
        }
        if options["worker_id"]:
            worker_options["worker_id"] = options["worker_id"]
        try:
            call_command("db_worker", **worker_options)
        finally:
            stop.set()
