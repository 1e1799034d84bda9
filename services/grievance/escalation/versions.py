"""SLA rules offices publish: each publication is a new version of (office, category),
in force from its publication or from 00:00 IST of the date it names
(``in_force_from``), for grievances opened from then on: the highest version whose
moment has come and that was not withdrawn; the national rules shipped in ``sla.py``
are the fallback. A version not yet in force may be withdrawn (by whoever may publish
it); one in force, or in force once and replaced since, stays on record. A case keeps
the SLA it was opened under (``sla`` on the case, whole), so a new version never moves
the clock of a case already open: the escalation sweep reads the case's own copy.

Which rule a new grievance gets, most specific first (as ``sla.sla_for``): the category
at the nearest office of the case's chain that has one (a published version, newest),
the category nationally, any category (``*``) at the nearest office that has one, the
national default."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.india import INDIA, day_text
from services.grievance.escalation.sla import ANY, SLAS, VERSION, Sla
from services.grievance.tables import sla_rule


def _shipped(category: str, office_id: str | None, sla: Sla) -> dict[str, Any]:
    return {"category": category, "office_id": office_id, "version": VERSION,
            "level_days": list(sla.level_days), "overall_days": sla.overall_days,
            "source": "national"}


def _published(row: Any) -> dict[str, Any]:
    return {"category": row.category, "office_id": row.office_id, "version": row.version,
            "level_days": list(row.level_days), "overall_days": row.overall_days,
            "source": "office"}


def _effective(now: datetime) -> list:
    """The versions that may be in force at ``now``: their moment has come and they
    were not withdrawn (the highest of its office and category is)."""
    return [sla_rule.c.in_force_at <= now, sla_rule.c.withdrawn_at.is_(None)]


def in_force(session: Session, category: str | None, office_ids: list[str],
             now: datetime) -> dict[str, Any]:
    """The SLA a grievance of ``category`` on the chain ``office_ids`` is opened under
    at ``now``."""
    category = category or ANY
    published: dict[tuple[str, str], Any] = {}
    if office_ids:
        newest = (select(sla_rule.c.office_id, sla_rule.c.category,
                         func.max(sla_rule.c.version).label("version"))
                  .where(sla_rule.c.office_id.in_(office_ids),
                         sla_rule.c.category.in_(sorted({category, ANY})),
                         *_effective(now))
                  .group_by(sla_rule.c.office_id, sla_rule.c.category).subquery())
        rows = session.execute(select(sla_rule).join(newest, and_(
            sla_rule.c.office_id == newest.c.office_id,
            sla_rule.c.category == newest.c.category,
            sla_rule.c.version == newest.c.version))).all()
        published = {(r.category, r.office_id): r for r in rows}
    keys = ([(category, office) for office in office_ids] + [(category, None)]
            + [(ANY, office) for office in office_ids] + [(ANY, None)])
    for key in keys:
        if key in published:
            return _published(published[key])
        if key in SLAS:
            return _shipped(key[0], key[1], SLAS[key])
    return _shipped(ANY, None, SLAS[(ANY, None)])


def check(level_days: list[int], overall_days: int) -> None:
    """The SLA model's rule (``sla.Sla``; each level's days are at least one by the
    contract), the refusal naming it; nothing is written on a refusal. The overall
    clock may be shorter than the levels' sum: running out, it sends the case straight
    to the top level (the sweep). Levels beyond the office's chain stay at its top
    office, each with its own clock, as the national rules do."""
    if overall_days < level_days[0]:
        raise InvalidInput(
            f"The overall clock ({overall_days} days) is shorter than level 0's "
            f"{level_days[0]} days.",
            {"rule": "overall_days >= level_days[0]: the office a grievance is routed to "
                     "has its days within the overall clock"},
            fields={"overall_days": f"at least {level_days[0]} (level 0's days)"})


def _in_force_at(in_force_from: date | None, now: datetime) -> datetime:
    """When a version comes into force: 00:00 IST of its date, or now (no date, today)."""
    if in_force_from is None:
        return now
    today = now.astimezone(INDIA).date()
    if in_force_from < today:
        raise InvalidInput(
            f"An SLA cannot come into force in the past ({day_text(in_force_from)}; "
            f"today is {day_text(today)}).",
            {"rule": "in_force_from is today or later"},
            fields={"in_force_from": f"today ({day_text(today)}) or later"})
    return max(now, datetime(in_force_from.year, in_force_from.month, in_force_from.day,
                             tzinfo=INDIA))


def publish(session: Session, ctx: CallContext, command: Any, now: datetime
            ) -> dict[str, Any]:
    """A new version of (office, category): the highest so far (withdrawn ones too)
    plus one."""
    check(list(command.level_days), command.overall_days)
    in_force_at = _in_force_at(command.in_force_from, now)
    newest = session.execute(select(func.max(sla_rule.c.version)).where(
        sla_rule.c.office_id == command.office_id,
        sla_rule.c.category == command.category)).scalar()
    version = (newest or 0) + 1
    try:
        with session.begin_nested():
            rule_id = session.execute(insert(sla_rule).values(
                office_id=command.office_id, category=command.category, version=version,
                level_days=list(command.level_days), overall_days=command.overall_days,
                note=command.note, published_by=ctx.actor_id,
                published_role=ctx.actor_role, published_at=now,
                in_force_at=in_force_at)
                .returning(sla_rule.c.id)).scalar_one()
    except IntegrityError:
        raise Conflict("Another version of this SLA was published meanwhile; read the "
                       "versions again.", {"office_id": command.office_id,
                                           "category": command.category}) from None
    row = session.execute(select(sla_rule).where(sla_rule.c.id == rule_id)).one()
    return version_dict(row, _in_force_versions(session, {row.office_id}, now), now)


def version_row(session: Session, sla_id: int, *, for_update: bool = False) -> Any:
    query = select(sla_rule).where(sla_rule.c.id == sla_id)
    row = session.execute(query.with_for_update() if for_update else query).one_or_none()
    if row is None:
        raise NotFound("No such SLA version.", {"sla_id": sla_id})
    return row


def withdraw(session: Session, ctx: CallContext, command: Any, now: datetime
             ) -> dict[str, Any]:
    """Withdraw a version whose moment has not come (row locked): it is never in force.
    One in force, or in force once and replaced since, is refused naming the date."""
    row = version_row(session, command.sla_id, for_update=True)
    name = f"version {row.version} of {row.office_id}'s SLA for {row.category}"
    if row.withdrawn_at is not None:
        raise Conflict(f"{name.capitalize()} was withdrawn already, on "
                       f"{day_text(row.withdrawn_at.astimezone(INDIA).date())}.",
                       {"rule": "a version is withdrawn once", "sla_id": row.id,
                        "withdrawn_at": row.withdrawn_at.isoformat()})
    if row.in_force_at <= now:
        since = day_text(row.in_force_at.astimezone(INDIA).date())
        raise Conflict(
            f"{name.capitalize()} came into force on {since}: a version in force or past "
            "cannot be withdrawn; publish a new version instead.",
            {"rule": "only a version not yet in force may be withdrawn", "sla_id": row.id,
             "in_force_from": since, "in_force_at": row.in_force_at.isoformat()})
    session.execute(update(sla_rule).where(sla_rule.c.id == row.id).values(
        withdrawn_at=now, withdrawn_by=ctx.actor_id, withdrawn_role=ctx.actor_role,
        withdrawal_reason=command.reason))
    row = version_row(session, row.id)
    return version_dict(row, _in_force_versions(session, {row.office_id}, now), now)


def _in_force_versions(session: Session, offices: set[str], now: datetime
                       ) -> dict[tuple[str, str], int]:
    """(office, category) -> the version in force there now."""
    return {(o, c): v for o, c, v in session.execute(
        select(sla_rule.c.office_id, sla_rule.c.category, func.max(sla_rule.c.version))
        .where(sla_rule.c.office_id.in_(offices), *_effective(now))
        .group_by(sla_rule.c.office_id, sla_rule.c.category))}


def status(row: Any, in_force_version: int | None, now: datetime) -> str:
    """``withdrawn``; ``scheduled`` (its moment has not come); ``in_force``; or
    ``superseded`` (its moment came, and a higher version is in force)."""
    if row.withdrawn_at is not None:
        return "withdrawn"
    if row.in_force_at > now:
        return "scheduled"
    return "in_force" if row.version == in_force_version else "superseded"


def version_dict(row: Any, in_force_versions: dict[tuple[str, str], int],
                 now: datetime) -> dict[str, Any]:
    found = status(row, in_force_versions.get((row.office_id, row.category)), now)
    return {**_published(row), "id": row.id, "note": row.note,
            "published_by": row.published_by, "published_role": row.published_role,
            "published_at": row.published_at.isoformat(),
            "in_force_from": row.in_force_at.isoformat(), "status": found,
            "in_force": found == "in_force",
            "withdrawn": None if row.withdrawn_at is None else {
                "at": row.withdrawn_at.isoformat(), "by": row.withdrawn_by,
                "role": row.withdrawn_role, "reason": row.withdrawal_reason}}


def versions(session: Session, query: Any, now: datetime) -> dict[str, Any]:
    """Published versions, newest first, filtered; each with its status (in force: the
    highest of its office and category whose moment has come, not withdrawn); and the
    national rules they fall back to."""
    conditions = []
    if query.office_id is not None:
        conditions.append(sla_rule.c.office_id == query.office_id)
    if query.category is not None:
        conditions.append(sla_rule.c.category == query.category)
    total = session.execute(select(func.count()).select_from(sla_rule)
                            .where(*conditions)).scalar()
    rows = session.execute(select(sla_rule).where(*conditions)
                           .order_by(sla_rule.c.published_at.desc(), sla_rule.c.id.desc())
                           .limit(query.limit + 1).offset(query.offset)).all()
    offices = {r.office_id for r in rows}
    current = _in_force_versions(session, offices, now) if offices else {}
    more = len(rows) > query.limit
    return {"items": [version_dict(r, current, now) for r in rows[:query.limit]],
            "total": total,
            "national": [_shipped(c, o, s) for (c, o), s in SLAS.items()],
            "next_offset": query.offset + query.limit if more else None}
