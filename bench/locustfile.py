"""The load generator's side of one scenario (run by ``bench/scenarios.py``, not by hand).

Reads the plan that ``BENCH_PLAN`` names: who signs in, which requests to send in turn, how
many in all. Every simulated user signs in once, then sends the plan's requests round-robin
until the total is reached; each response's time, status and ``X-Bench-Queries`` header go to
``BENCH_OUT`` as JSON when the run stops.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

import gevent
from locust import events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.env import Environment
from locust.exception import StopUser

PLAN: dict[str, Any] = json.loads(Path(os.environ["BENCH_PLAN"]).read_text(encoding="utf-8"))
SAMPLES: list[tuple[float, bool, int, float]] = []
STATE = {"sent": 0}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.request.add_listener
def _record(
    response_time: float, exception: BaseException | None, response: Any, **kwargs: Any
) -> None:
    queries = -1
    if response is not None and getattr(response, "headers", None) is not None:
        queries = int(response.headers.get("X-Bench-Queries") or -1)
    if kwargs.get("name") == "sign-in":
        return
    SAMPLES.append((response_time, exception is None, queries, time.time()))


@events.test_stop.add_listener
def _write(environment: Environment, **kwargs: Any) -> None:
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps(SAMPLES), encoding="utf-8")


class PlannedUser(FastHttpUser):
    """One signed-in member of staff (or an anonymous visitor) following the plan."""

    def on_start(self) -> None:
        """Sign in as the plan's user."""
        self.token = ""
        if not PLAN.get("username"):
            return
        page = self.client.get("/en/account/sign-in/", name="sign-in")
        self.token = self._csrf(page.text or "")
        self.client.post(
            "/en/account/sign-in/",
            data={
                "username": PLAN["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": self.token,
            },
            headers={"Referer": self.host + "/en/account/sign-in/"},
            name="sign-in",
        )
        # Django gives a new CSRF secret at sign-in; the cookie carries it, and Django accepts
        # the secret itself as the form's token.
        self.token = self._cookie("csrftoken") or self.token

    def _cookie(self, name: str) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == name:
                return str(cookie.value)
        return ""

    def _csrf(self, html: str) -> str:
        found = CSRF.search(html)
        return found.group(1) if found else self.token

    @task
    def planned(self) -> None:
        """Send the next request of the plan, or stop when the total has been sent."""
        if STATE["sent"] >= PLAN["total"]:
            # Quit from a greenlet of its own: stopping the users kills the calling one first.
            if not STATE.get("quitting"):
                STATE["quitting"] = 1
                gevent.spawn(self.environment.runner.quit)  # type: ignore[union-attr]  # local
            raise StopUser
        spec = PLAN["requests"][STATE["sent"] % len(PLAN["requests"])]
        STATE["sent"] += 1
        data = spec.get("data")
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.token}
        with self.client.request(
            spec["method"],
            spec["path"],
            data=data,
            headers={"Referer": self.host + spec["path"], "X-CSRFToken": self.token},
            name=PLAN["name"],
            catch_response=True,
            # A write answered by a redirect is measured alone; a search's redirect leads to
            # the list that is its answer, and is followed.
            allow_redirects=spec.get("follow", True),
        ) as response:
            if response.status_code >= 400:  # noqa: PLR2004  # client and server errors
                response.failure(f"status {response.status_code}")
            elif spec.get("expect") and spec["expect"] not in (response.text or ""):
                response.failure("the page did not say what it should")
            else:
                response.success()
