"""SLA rules offices publish: each publication is a new version of (office, category),
the newest in force for grievances opened from then on; the national rules shipped in
``sla.py`` are the fallback. A case keeps the SLA it was opened under (``sla`` on the
case, whole), so a new version never moves the clock of a case already open: the
escalation sweep reads the case's own copy.

Which rule a new grievance gets, most specific first (as ``sla.sla_for``): the category
at the nearest office of the case's chain that has one (a published version, newest),
the category nationally, any category (``*``) at the nearest office that has one, the
national default."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.errors import Conflict, InvalidInput
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


def in_force(session: Session, category: str | None, office_ids: list[str]
             ) -> dict[str, Any]:
    """The SLA a grievance of ``category`` on the chain ``office_ids`` is opened under."""
    category = category or ANY
    published: dict[tuple[str, str], Any] = {}
    if office_ids:
        newest = (select(sla_rule.c.office_id, sla_rule.c.category,
                         func.max(sla_rule.c.version).label("version"))
                  .where(sla_rule.c.office_id.in_(office_ids),
                         sla_rule.c.category.in_(sorted({category, ANY})))
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


def publish(session: Session, ctx: CallContext, command: Any, now: datetime
            ) -> dict[str, Any]:
    """A new version of (office, category): the newest plus one."""
    check(list(command.level_days), command.overall_days)
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
                published_role=ctx.actor_role, published_at=now)
                .returning(sla_rule.c.id)).scalar_one()
    except IntegrityError:
        raise Conflict("Another version of this SLA was published meanwhile; read the "
                       "versions again.", {"office_id": command.office_id,
                                           "category": command.category}) from None
    row = session.execute(select(sla_rule).where(sla_rule.c.id == rule_id)).one()
    return version_dict(row, newest=True)


def version_dict(row: Any, newest: bool) -> dict[str, Any]:
    return {**_published(row), "id": row.id, "note": row.note,
            "published_by": row.published_by, "published_role": row.published_role,
            "published_at": row.published_at.isoformat(), "in_force": newest}


def versions(session: Session, query: Any) -> dict[str, Any]:
    """Published versions, newest first, filtered; each says whether it is in force (the
    newest of its office and category); and the national rules they fall back to."""
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
    keys = {(r.office_id, r.category) for r in rows}
    newest = {}
    if keys:
        newest = {(o, c): v for o, c, v in session.execute(
            select(sla_rule.c.office_id, sla_rule.c.category, func.max(sla_rule.c.version))
            .where(sla_rule.c.office_id.in_({o for o, _ in keys}))
            .group_by(sla_rule.c.office_id, sla_rule.c.category))}
    more = len(rows) > query.limit
    return {"items": [version_dict(r, newest.get((r.office_id, r.category)) == r.version)
                      for r in rows[:query.limit]],
            "total": total,
            "national": [_shipped(c, o, s) for (c, o), s in SLAS.items()],
            "next_offset": query.offset + query.limit if more else None}
