"""How later modules add to the demo: a step registered in the module's own ``demo.py``.

A module ``meesaq.<app>.demo`` registers steps with ``@demo_step("name")``; ``meesaq demo``
imports every installed app's ``demo`` module, creates the province, then runs the steps in
the order of ``order`` and name. A step must be idempotent (running it twice creates nothing
new) and must draw every person from ``context.people`` or a ``PeopleGenerator`` of its own
with a fixed seed. What it returns is printed as one line of the command's summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules

from meesaq.accounts.models import User
from meesaq.demo.people import PeopleGenerator
from meesaq.orgs.models import Organisation


@dataclass
class DemoContext:
    """What the province step created, for the steps that build on it."""

    organisations: dict[str, Organisation]
    users: dict[str, User]
    people: PeopleGenerator
    password: str


DemoStepFunction = Callable[[DemoContext], str | None]


@dataclass(frozen=True, order=True)
class DemoStep:
    """A registered step, run in the order of ``order`` and ``name``."""

    order: int
    name: str
    function: DemoStepFunction = field(compare=False)


_STEPS: dict[str, DemoStep] = {}


def demo_step(name: str, *, order: int = 100) -> Callable[[DemoStepFunction], DemoStepFunction]:
    """Register a function as a demo step; registering the same name again replaces it."""

    def register(function: DemoStepFunction) -> DemoStepFunction:
        _STEPS[name] = DemoStep(order=order, name=name, function=function)
        return function

    return register


def demo_steps() -> list[DemoStep]:
    """Return the registered steps, importing every installed app's ``demo`` module first."""
    autodiscover_modules("demo")
    return sorted(_STEPS.values())
