"""Working time: weekends, Pakistan's public holidays, administrators' holidays, office hours."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from meesaq.sla.calendar import KARACHI, WorkingCalendar, add_working_days, add_working_hours
from meesaq.sla.models import Holiday, SlaSettings


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=KARACHI)


@pytest.mark.django_db
def test_a_working_day_after_friday_is_monday() -> None:
    # 2025-01-10 is a Friday.
    assert add_working_days(at(2025, 1, 10, 14), 1) == at(2025, 1, 13, 14)


@pytest.mark.django_db
def test_working_hours_stop_at_closing_time_and_skip_the_weekend() -> None:
    # Friday 15:00 + 8 office hours: 2 on Friday, 6 on Monday from 09:00.
    assert add_working_hours(at(2025, 1, 10, 15), 8) == at(2025, 1, 13, 15)


@pytest.mark.django_db
def test_hours_counted_before_opening_start_at_opening() -> None:
    assert add_working_hours(at(2025, 1, 13, 6), 2) == at(2025, 1, 13, 11)
    assert add_working_hours(at(2025, 1, 13, 20), 1) == at(2025, 1, 14, 10)


@pytest.mark.django_db
def test_eid_al_fitr_is_not_a_working_day() -> None:
    # Eid al-Fitr 2025: Monday 31 March to Wednesday 2 April (holidays package).
    assert not WorkingCalendar.load().is_working_day(date(2025, 3, 31))
    assert add_working_days(at(2025, 3, 28, 10), 1) == at(2025, 4, 3, 10)
    assert add_working_hours(at(2025, 3, 28, 16), 2) == at(2025, 4, 3, 10)


@pytest.mark.django_db
def test_an_administrators_holiday_counts_as_a_day_off() -> None:
    Holiday.objects.create(date=date(2025, 1, 13), name_en="Local holiday", name_ur="چھٹی")
    assert add_working_days(at(2025, 1, 10, 10), 1) == at(2025, 1, 14, 10)


@pytest.mark.django_db
def test_the_weekend_is_configurable() -> None:
    row = SlaSettings.current()
    row.weekend_days = "6"
    row.full_clean()
    row.save()
    # With only Sunday off, Saturday 11 January 2025 is a working day.
    assert add_working_days(at(2025, 1, 10, 10), 1) == at(2025, 1, 11, 10)


@pytest.mark.django_db
def test_a_weekend_of_unknown_days_is_refused() -> None:
    row = SlaSettings.current()
    row.weekend_days = "5,9"
    with pytest.raises(Exception, match="weekday numbers"):
        row.full_clean()


def test_days_of_24_hours_count_as_working_days() -> None:
    calendar = WorkingCalendar()
    assert calendar.add_day_hours(at(2025, 1, 9, 10), 72) == at(2025, 1, 14, 10)
