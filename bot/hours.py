"""Doctors' working hours: whether they are in now, and if not, when they are back."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """Opening and closing times per weekday (Monday first; None: closed all day), in a zone."""

    zone: str
    days: tuple[tuple[datetime.time, datetime.time] | None, ...]

    def back_at(self, now: datetime.datetime) -> datetime.datetime | None:
        """When doctors are next in, as a time in the zone; None when they are in now (or the
        week has no hours at all)."""
        local = now.astimezone(ZoneInfo(self.zone))
        for offset in range(8):
            day = local.date() + datetime.timedelta(days=offset)
            hours = self.days[day.weekday()]
            if hours is None:
                continue
            opens = datetime.datetime.combine(day, hours[0], local.tzinfo)
            closes = datetime.datetime.combine(day, hours[1], local.tzinfo)
            if offset == 0 and opens <= local < closes:
                return None
            if local < opens:
                return opens
        return None
