"""A varied set of cases for the report tests, written straight to the database."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from meesaq.cases.models import (
    AffectedGroup,
    Case,
    Category,
    Channel,
    ComplainantFeedback,
    FeedbackChannel,
    Priority,
    Status,
)
from meesaq.geo.models import AdminUnit
from tests.cases.factories import add_person, make_case
from tests.personas import World

CATEGORIES = ("threats", "land_grabbing", "abduction", "hate_speech")
GROUPS = ("christian", "hindu", "ahmadi", "women")
CHANNELS = (Channel.WALK_IN, Channel.PHONE, Channel.PORTAL)
STATUSES = (Status.RECEIVED, Status.IN_ACTION, Status.RESOLVED, Status.CLOSED)


@dataclass(frozen=True)
class Spread:
    """The cases made, with the moment they were made relative to."""

    cases: list[Case]
    now: datetime


def make_spread(world: World, *, count: int = 40, seed: int = 7) -> Spread:
    """Create cases in Lahore (two organisations, tehsils) and Faisalabad over four months."""
    chooser = random.Random(seed)  # noqa: S311  # reproducible test data
    now = timezone.now()
    categories = {code: Category.objects.get(code=code) for code in CATEGORIES}
    groups = sorted((AffectedGroup.objects.get(code=code) for code in GROUPS), key=str)
    lahore_tehsils = list(AdminUnit.objects.filter(parent_id="PK617"))
    owners = [world.lahore_centre, world.lahore_hr_office, world.faisalabad_centre]
    cases = []
    for index in range(count):
        owner = owners[index % 3]
        received = now - timedelta(days=chooser.randint(0, 110), hours=chooser.randint(0, 23))
        status = chooser.choice(STATUSES)
        fields: dict[str, object] = {
            "received_at": received,
            "category": categories[chooser.choice(CATEGORIES)],
            "channel": chooser.choice(CHANNELS),
            "priority": chooser.choice([Priority.URGENT, Priority.HIGH, Priority.NORMAL]),
            "status": status,
        }
        if owner != world.faisalabad_centre and chooser.random() < 0.6:
            fields["tehsil"] = chooser.choice(lahore_tehsils)
        if chooser.random() < 0.7:
            fields["first_action_at"] = received + timedelta(hours=chooser.randint(1, 400))
        if status in {Status.RESOLVED, Status.CLOSED}:
            resolved = min(received + timedelta(days=chooser.randint(1, 40)), now)
            fields["resolved_at"] = resolved
            if status == Status.CLOSED:
                fields["closed_at"] = resolved
        case = make_case(organisation=owner, **fields)  # type: ignore[arg-type]  # model fields
        if index % 5 == 0:
            add_person(case, full_name=f"Person Number{index}", cnic=f"00101-12345{index:02d}-1")
        case.groups.set(chooser.sample(groups, chooser.randint(0, 2)))
        if status == Status.CLOSED and chooser.random() < 0.7:
            ComplainantFeedback.objects.create(
                case=case,
                requested_at=now,
                channel=FeedbackChannel.CALL,
                answer=chooser.choice(["satisfied", "partly", "not_satisfied"]),
                answered_at=now,
            )
        cases.append(case)
    return Spread(cases=cases, now=now)
