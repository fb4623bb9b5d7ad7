"""The admin's figures: how many questions, how they were answered, how fast, how rated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.store.database import Database


@dataclass(frozen=True, slots=True)
class Statistics:
    """What /stats shows."""

    asked: int
    answered_from_bank: int
    routed: int
    answered_by_doctors: int
    median_seconds_to_answer: float | None
    ratings: int
    average_stars: float | None


def median(values: Sequence[float]) -> float | None:
    """The middle value of sorted `values` (the mean of the two middle ones), or None."""
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


class Stats:
    """Reads across the consultations' tables; writes nothing."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def usual_wait(self, days: float = 30, least: int = 5) -> float | None:
        """The median time from a question reaching doctors to its first answer, over the
        questions sent in the last `days`; None with fewer than `least` answered."""
        delays = sorted(
            float(row["seconds"])
            for row in await self.database.rows(
                "SELECT (julianday(min(a.created_at)) - julianday(q.routed_at)) * 86400"
                " AS seconds FROM asked_questions q JOIN answers a ON a.asked_id = q.id"
                " WHERE q.routed_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)"
                " GROUP BY q.id",
                (f"-{days * 86400:.0f} seconds",),
            )
        )
        return median(delays) if len(delays) >= least else None

    async def figures(self) -> Statistics:
        """Questions, how they were answered, speed and ratings."""
        asked = await self.database.row(
            "SELECT count(*) AS asked, sum(status = 'matched') AS matched,"
            " sum(routed_at IS NOT NULL) AS routed, sum(status = 'answered') AS answered"
            " FROM asked_questions"
        )
        assert asked is not None
        delays = sorted(
            float(row["seconds"])
            for row in await self.database.rows(
                "SELECT (julianday(min(a.created_at)) - julianday(q.created_at)) * 86400"
                " AS seconds FROM answers a JOIN asked_questions q ON q.id = a.asked_id"
                " GROUP BY q.id"
            )
        )
        ratings = await self.database.row(
            "SELECT count(*) AS count, avg(stars) AS average FROM ratings"
        )
        assert ratings is not None
        return Statistics(
            asked=int(asked["asked"]),
            answered_from_bank=int(asked["matched"] or 0),
            routed=int(asked["routed"] or 0),
            answered_by_doctors=int(asked["answered"] or 0),
            median_seconds_to_answer=median(delays),
            ratings=int(ratings["count"]),
            average_stars=float(ratings["average"]) if ratings["average"] is not None else None,
        )
