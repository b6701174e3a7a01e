"""Working time in Asia/Karachi: weekends, Pakistan's public holidays and administrators' holidays.

``add_working_days`` keeps the time of day and lands on the n-th following working day;
``add_working_hours`` counts only office hours (09:00-17:00 by default). A ``WorkingCalendar``
loads the settings and holidays once; the module functions load one when none is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

KARACHI = ZoneInfo("Asia/Karachi")


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """Return Pakistan's public holidays of a year from the holidays package."""
    return frozenset(holidays.country_holidays("PK", years=year).keys())


@dataclass(frozen=True)
class WorkingCalendar:
    """The weekend, office hours and extra holidays to count working time with."""

    weekend: frozenset[int] = frozenset({5, 6})
    opens: time = time(9, 0)
    closes: time = time(17, 0)
    extra_holidays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def load(cls) -> WorkingCalendar:
        """Build the calendar from the settings row and the administrators' holidays."""
        from meesaq.sla.models import Holiday, SlaSettings

        row = SlaSettings.current()
        return cls(
            weekend=row.weekend,
            opens=row.office_opens,
            closes=row.office_closes,
            extra_holidays=frozenset(Holiday.objects.values_list("date", flat=True)),
        )

    def is_working_day(self, day: date) -> bool:
        """Say whether offices are open on this day."""
        return (
            day.weekday() not in self.weekend
            and day not in self.extra_holidays
            and day not in public_holidays(day.year)
        )

    def next_working_day(self, day: date) -> date:
        """Return the first working day after ``day`` (within two years, else fail)."""
        for _step in range(730):
            day += timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError("no working day within two years: check the weekend setting")

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Return the same local time on the ``days``-th working day after ``start``."""
        local = start.astimezone(KARACHI)
        day = local.date()
        for _count in range(days):
            day = self.next_working_day(day)
        return datetime.combine(day, local.time(), tzinfo=KARACHI)

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """Return the moment when ``hours`` of office time have passed after ``start``."""
        remaining = timedelta(hours=hours)
        local = start.astimezone(KARACHI)
        day, moment = local.date(), local.time().replace(tzinfo=None)
        if not self.is_working_day(day) or moment >= self.closes:
            day, moment = self.next_working_day(day), self.opens
        elif moment < self.opens:
            moment = self.opens
        while True:
            current = datetime.combine(day, moment, tzinfo=KARACHI)
            available = datetime.combine(day, self.closes, tzinfo=KARACHI) - current
            if remaining <= available:
                return current + remaining
            remaining -= available
            day, moment = self.next_working_day(day), self.opens

    def add_day_hours(self, start: datetime, hours: int) -> datetime:
        """Count ``hours`` as working days of 24 hours (72 h = three working days)."""
        days, rest = divmod(hours, 24)
        return self.add_working_days(start, days) + timedelta(hours=rest)


def add_working_days(
    start: datetime, days: int, *, calendar: WorkingCalendar | None = None
) -> datetime:
    """Return the same local time on the ``days``-th working day after ``start``."""
    return (calendar or WorkingCalendar.load()).add_working_days(start, days)


def add_working_hours(
    start: datetime, hours: float, *, calendar: WorkingCalendar | None = None
) -> datetime:
    """Return the moment when ``hours`` of office time have passed after ``start``."""
    return (calendar or WorkingCalendar.load()).add_working_hours(start, hours)
