"""Doctors: the bank's authors (cards only), those the config lists, and those who apply by
invitation (registrations, step by step, then an admin's decision)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import Doctor, DoctorCard, DoctorProfile, DoctorStatus, Registration
from bot.store.database import Change, Database, Row, Transaction, placeholders


def _identity(card: DoctorCard) -> str:
    return "|".join(
        " ".join((part or "").lower().split()) for part in (card.name, card.title, card.location)
    )


_COLUMNS = (
    "d.id, d.telegram_id, d.name, d.title, d.location, d.rating_total, d.review_count,"
    " d.specialties, d.status, d.languages,"
    " (SELECT count(*) FROM answers a WHERE a.doctor_id = d.id AND a.asked_id IS NOT NULL)"
    " AS answers_given"
)


def _doctor(row: Row) -> Doctor:
    return Doctor(
        id=int(row["id"]),
        telegram_id=row["telegram_id"],
        card=DoctorCard(
            name=row["name"],
            title=row["title"],
            location=row["location"],
            rating_total=float(row["rating_total"]),
            review_count=int(row["review_count"]),
        ),
        specialties=tuple(word for word in row["specialties"].split(",") if word),
        status=DoctorStatus(row["status"]),
        answers_given=int(row["answers_given"]),
        languages=tuple(code for code in row["languages"].split(",") if code),
    )


def _registration(row: Row) -> Registration:
    return Registration(
        telegram_id=int(row["telegram_id"]),
        step=row["step"],
        name=row["name"],
        title=row["title"],
        location=row["location"],
    )


class Doctors:
    """Tables `doctors` and `registrations`."""

    def __init__(self, database: Database) -> None:
        self.database = database
        # Every patient message is first checked against these (is it a doctor? an applicant
        # mid-registration?): kept in memory, dropped whenever a write changes them. Updates of
        # several chats run at once, yet a cache read here cannot outlive the change that drops
        # it: the one connection runs statements in order, so a read queued before a change
        # returns (and is stored) before that change's drop.
        self._telegram_ids: frozenset[int] | None = None
        self._applicant_ids: frozenset[int] | None = None
        database.on_change(Change.PEOPLE, self._forget)

    def _forget(self) -> None:
        self._telegram_ids = self._applicant_ids = None

    async def _telegram_ids_of(self, query: str) -> frozenset[int]:
        return frozenset(int(row["telegram_id"]) for row in await self.database.rows(query))

    async def _where(self, condition: str, params: Sequence[object] = ()) -> list[Doctor]:
        rows = await self.database.rows(
            f"SELECT {_COLUMNS} FROM doctors d WHERE {condition} ORDER BY d.id", params
        )
        return [_doctor(row) for row in rows]

    # --- reading ---------------------------------------------------------------------------------

    async def by_telegram_id(self, telegram_id: int) -> Doctor | None:
        """The doctor behind a Telegram user, whatever their status."""
        if self._telegram_ids is None:
            self._telegram_ids = await self._telegram_ids_of(
                "SELECT telegram_id FROM doctors WHERE telegram_id IS NOT NULL"
            )
        if telegram_id not in self._telegram_ids:
            return None
        found = await self._where("d.telegram_id = ?", (telegram_id,))
        return found[0] if found else None

    async def get(self, doctor_id: int) -> Doctor | None:
        """A doctor by id."""
        found = await self._where("d.id = ?", (doctor_id,))
        return found[0] if found else None

    async def active(self) -> list[Doctor]:
        """Doctors who may answer questions now."""
        return await self._where("d.status = 'active'")

    async def of_the_bot(self) -> list[Doctor]:
        """Every doctor who uses the bot (not the bank's authors), for admins."""
        return await self._where("d.status != 'author'")

    # --- the bank's authors ----------------------------------------------------------------------

    async def author_id(self, tx: Transaction, card: DoctorCard, known: dict[str, int]) -> int:
        """The id of a bank answer's author, added on first sight; `known` saves lookups."""
        identity = _identity(card)
        if identity in known:
            return known[identity]
        # A doctor's rating in a bank file is only a starting point: ratings patients give later
        # must survive a re-import, so an existing doctor keeps their numbers.
        await tx.execute(
            "INSERT INTO doctors (identity, name, title, location, rating_total, review_count)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (identity) DO NOTHING",
            (identity, card.name, card.title, card.location, card.rating_total, card.review_count),
        )
        doctor_id = await tx.scalar("SELECT id FROM doctors WHERE identity = ?", (identity,))
        known[identity] = doctor_id
        return doctor_id

    # --- the config's doctors and applications ---------------------------------------------------

    async def sync_config(self, profiles: Sequence[DoctorProfile]) -> None:
        """Make the config's doctor list true: add and update those listed, revoke the rest.

        A doctor an admin revoked stays revoked; one the config dropped comes back when listed.
        """
        listed = {profile.telegram_id for profile in profiles}
        async with self.database.transaction() as tx:
            tx.changed(Change.PEOPLE)
            for profile in profiles:
                await tx.execute(
                    "INSERT INTO doctors (identity, name, title, location, telegram_id,"
                    " specialties, languages, status, origin)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, 'active', 'config')"
                    " ON CONFLICT (telegram_id) DO UPDATE SET name = excluded.name,"
                    " title = excluded.title, location = excluded.location,"
                    " specialties = excluded.specialties, languages = excluded.languages,"
                    " origin = 'config',"
                    " status = CASE WHEN doctors.revoked_by = 'admin' THEN doctors.status"
                    " ELSE 'active' END,"
                    " revoked_by = CASE WHEN doctors.revoked_by = 'admin' THEN 'admin' END",
                    (
                        f"tg:{profile.telegram_id}",
                        profile.name,
                        profile.title,
                        profile.location,
                        profile.telegram_id,
                        ",".join(profile.specialties),
                        ",".join(profile.languages),
                    ),
                )
            dropped = [
                int(row["id"])
                for row in await tx.rows(
                    "SELECT id, telegram_id FROM doctors"
                    " WHERE origin = 'config' AND status = 'active'"
                )
                if row["telegram_id"] not in listed
            ]
            for doctor_id in dropped:
                await tx.execute(
                    "UPDATE doctors SET status = 'revoked', revoked_by = 'config' WHERE id = ?",
                    (doctor_id,),
                )

    async def registration(self, telegram_id: int) -> Registration | None:
        """A doctor's application in progress."""
        if self._applicant_ids is None:
            self._applicant_ids = await self._telegram_ids_of(
                "SELECT telegram_id FROM registrations"
            )
        if telegram_id not in self._applicant_ids:
            return None
        row = await self.database.row(
            "SELECT telegram_id, step, name, title, location FROM registrations"
            " WHERE telegram_id = ?",
            (telegram_id,),
        )
        return _registration(row) if row else None

    async def save_registration(self, registration: Registration) -> None:
        """Store the application's progress."""
        async with self.database.transaction() as tx:
            tx.changed(Change.PEOPLE)
            await tx.execute(
                "INSERT INTO registrations (telegram_id, step, name, title, location)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (telegram_id) DO UPDATE SET"
                " step = excluded.step, name = excluded.name, title = excluded.title,"
                " location = excluded.location",
                (
                    registration.telegram_id,
                    registration.step,
                    registration.name,
                    registration.title,
                    registration.location,
                ),
            )

    async def discard_registration(self, telegram_id: int) -> bool:
        """Drop an application in progress; False when there was none."""
        async with self.database.transaction() as tx:
            tx.changed(Change.PEOPLE)
            return (
                await tx.execute("DELETE FROM registrations WHERE telegram_id = ?", (telegram_id,))
                > 0
            )

    async def apply(self, profile: DoctorProfile) -> Doctor:
        """An invited doctor's application: stored as pending until an admin decides."""
        async with self.database.transaction() as tx:
            tx.changed(Change.PEOPLE)
            await tx.execute(
                "INSERT INTO doctors (identity, name, title, location, telegram_id, status,"
                " origin) VALUES (?, ?, ?, ?, ?, 'pending', 'invite')"
                " ON CONFLICT (telegram_id) DO UPDATE SET name = excluded.name,"
                " title = excluded.title, location = excluded.location, status = 'pending'"
                " WHERE doctors.status IN ('rejected', 'pending')",
                (
                    f"tg:{profile.telegram_id}",
                    profile.name,
                    profile.title,
                    profile.location,
                    profile.telegram_id,
                ),
            )
            await tx.execute(
                "DELETE FROM registrations WHERE telegram_id = ?", (profile.telegram_id,)
            )
        doctor = await self.by_telegram_id(profile.telegram_id)
        assert doctor is not None
        return doctor

    async def change_status(
        self,
        tx: Transaction,
        doctor_id: int,
        status: DoctorStatus,
        *,
        only_from: Sequence[DoctorStatus],
    ) -> bool:
        """An admin's decision: set the status only while it is one of `only_from` (so a second
        press, or another admin's, changes nothing)."""
        revoked_by = "admin" if status is DoctorStatus.REVOKED else None
        tx.changed(Change.PEOPLE)
        return (
            await tx.execute(
                "UPDATE doctors SET status = ?, revoked_by = ?"
                f" WHERE id = ? AND status IN ({placeholders(len(only_from))})",
                (status.value, revoked_by, doctor_id, *(value.value for value in only_from)),
            )
            > 0
        )

    async def rate(self, tx: Transaction, doctor_id: int, stars: int, reviews: int) -> None:
        """Add `stars` to the doctor's total and `reviews` to their review count."""
        await tx.execute(
            "UPDATE doctors SET rating_total = rating_total + ?,"
            " review_count = review_count + ? WHERE id = ?",
            (stars, reviews, doctor_id),
        )
