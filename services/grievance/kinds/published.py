"""Versions of the kinds an administrator publishes, beside the shipped modules (the
first versions). A new version is checked whole before anything is written, each
refusal naming its rule; it is then version n+1 of its kind, in force for cases opened
from then on. A case keeps the version it was opened under (``kind_version``), so a
new version never changes how a case already open moves.

Every replica reads the published versions from its database: a version a case names
and this replica does not hold yet is read at once; the newest of each kind (what a new
case opens under) is looked for again at most every ``REFRESH_SECONDS``, so a version
published on one replica is what every replica opens cases under within that time.
Kept per database (one service, one database; tests run several side by side)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.errors import Conflict, InvalidInput, NotFound
from services.grievance.hearings.rules import HEARING_ACTION, ORDER_ACTION
from services.grievance.kinds import KINDS, Kind, Transition
from services.grievance.kinds.definition import COMPLAINANT, KNOWN_ROLES
from services.grievance.tables import kind_version

REFRESH_SECONDS = 2.0

# Actions the service takes by name on a kind (a hearing, an order): every version keeps
# them, with these names.
TAKEN_BY_NAME: dict[str, set[str]] = {}
for _kind, _action in HEARING_ACTION.items():
    TAKEN_BY_NAME.setdefault(_kind, set()).add(_action)
for (_kind, _final), _action in ORDER_ACTION.items():
    TAKEN_BY_NAME.setdefault(_kind, set()).add(_action)


@dataclass
class _Held:
    kinds: dict[tuple[str, int], Kind] = field(default_factory=lambda: dict(KINDS))
    published: dict[tuple[str, int], Any] = field(default_factory=dict)
    looked_at: float = float("-inf")
    lock: threading.Lock = field(default_factory=threading.Lock)


_HELD: dict[str, _Held] = {}
_HELD_LOCK = threading.Lock()


def _held(session: Session) -> _Held:
    key = str(session.get_bind().url)
    with _HELD_LOCK:
        return _HELD.setdefault(key, _Held())


def _from_definition(name: str, version: int, data: dict[str, Any]) -> Kind:
    return Kind(
        name=name, version=version, title=data["title"], title_hi=data["title_hi"],
        initial=data["initial"], states=tuple(data["states"]),
        closed_states=tuple(data["closed_states"]), openers=tuple(data["openers"]),
        parties=tuple(data["parties"]),
        initial_deadline_days=data.get("initial_deadline_days"),
        transitions=tuple(Transition(
            t["name"], tuple(t["from_states"]), t["to"], tuple(t["roles"]), t["title_hi"],
            t.get("deadline_days"), t.get("within_days")) for t in data["transitions"]))


def _sync(session: Session, held: _Held, *, now_please: bool = False) -> None:
    if not now_please and time.monotonic() - held.looked_at < REFRESH_SECONDS:
        return
    with held.lock:
        # Every (kind, version) stored (a handful of rows), then the definitions not held
        # yet: ids may commit out of order, so none is skipped for a higher one seen.
        stored = session.execute(select(kind_version.c.id, kind_version.c.kind,
                                        kind_version.c.version)).all()
        missing = [r.id for r in stored if (r.kind, r.version) not in held.published]
        if missing:
            for row in session.execute(select(kind_version)
                                       .where(kind_version.c.id.in_(missing))):
                held.kinds[(row.kind, row.version)] = _from_definition(
                    row.kind, row.version, row.definition)
                held.published[(row.kind, row.version)] = row
        held.looked_at = time.monotonic()


def kind_of(session: Session, name: str, version: int | None = None) -> Kind:
    """The kind ``name`` at ``version`` (None: the newest), shipped or published."""
    held = _held(session)
    _sync(session, held)
    if version is not None and (name, version) not in held.kinds:
        _sync(session, held, now_please=True)
    found = (held.kinds.get((name, version)) if version is not None
             else _latest(held).get(name))
    if found is None:
        raise NotFound("No such kind of case.", {"kind": name, "version": version,
                                                 "kinds": sorted(_latest(held))})
    return found


def _latest(held: _Held) -> dict[str, Kind]:
    newest: dict[str, Kind] = {}
    for kind in held.kinds.values():
        if kind.name not in newest or newest[kind.name].version < kind.version:
            newest[kind.name] = kind
    return newest


def latest(session: Session) -> list[Kind]:
    held = _held(session)
    _sync(session, held)
    return list(_latest(held).values())


def versions(session: Session, name: str) -> dict[str, Any]:
    """Every version of the kind, oldest first: shipped ones and published ones (who,
    when, why)."""
    held = _held(session)
    _sync(session, held, now_please=True)
    newest = _latest(held)[name].version
    items = []
    for (kind, version), found in sorted(held.kinds.items()):
        if kind != name:
            continue
        row = held.published.get((kind, version))
        items.append({**found.describe(), "source": "published" if row else "shipped",
                      "in_force": version == newest,
                      "published_by": row.published_by if row else None,
                      "published_at": row.published_at.isoformat() if row else None,
                      "note": row.note if row else None})
    return {"kind": name, "items": items}


def _refuse(message: str, rule: str, fields: dict[str, str]) -> InvalidInput:
    return InvalidInput(message, {"rule": rule}, fields=fields)


def check(command: Any) -> None:
    """The definition's rules, the first broken one refused naming it."""
    states = list(command.states)
    if len(set(states)) != len(states):
        twice = sorted({s for s in states if states.count(s) > 1})
        raise _refuse(f"States declared twice: {', '.join(twice)}.",
                      "every state is declared once", {"states": f"twice: {twice}"})
    if command.initial not in states:
        raise _refuse(f"The initial state {command.initial} is not declared.",
                      "the initial state is a declared state",
                      {"initial": "not in states"})
    for i, state in enumerate(command.closed_states):
        if state not in states:
            raise _refuse(f"The closed state {state} is not declared.",
                          "closed states are declared states",
                          {f"closed_states[{i}]": "not in states"})
    for i, role in enumerate(command.openers):
        if role not in KNOWN_ROLES:
            raise _refuse(f"{role} is not a role of the platform.",
                          "roles are the platform's: " + ", ".join(KNOWN_ROLES),
                          {f"openers[{i}]": "unknown role"})
    names: set[str] = set()
    for i, t in enumerate(command.transitions):
        where = f"transitions[{i}]"
        for j, state in enumerate(t.from_states):
            if state not in states:
                raise _refuse(f"'{t.name}' leaves from {state}, which is not declared.",
                              "every transition names declared states",
                              {f"{where}.from_states[{j}]": "not in states"})
        if t.to not in states:
            raise _refuse(f"'{t.name}' goes to {t.to}, which is not declared.",
                          "every transition names declared states",
                          {f"{where}.to": "not in states"})
        for j, role in enumerate(t.roles):
            if role not in KNOWN_ROLES and role != COMPLAINANT:
                raise _refuse(f"{role} is not a role of the platform.",
                              "roles are the platform's: " + ", ".join(
                                  (*KNOWN_ROLES, COMPLAINANT)),
                              {f"{where}.roles[{j}]": "unknown role"})
        if t.name in names:
            raise _refuse(f"The action '{t.name}' is declared twice.",
                          "every action is declared once", {f"{where}.name": "twice"})
        names.add(t.name)
    missing = sorted(TAKEN_BY_NAME.get(command.kind, set()) - names)
    if missing:
        raise _refuse(f"A {command.kind.replace('_', ' ')} needs the actions "
                      f"{', '.join(missing)}: hearings and orders take them by name.",
                      f"{command.kind} keeps the actions hearings and orders take: "
                      + ", ".join(sorted(TAKEN_BY_NAME[command.kind])),
                      {"transitions": f"missing {', '.join(missing)}"})


def publish(session: Session, ctx: CallContext, command: Any, now: datetime
            ) -> dict[str, Any]:
    """Check the definition, store it as the kind's next version, hold it at once."""
    check(command)
    held = _held(session)
    _sync(session, held, now_please=True)
    shipped = max(v for (k, v) in KINDS if k == command.kind)
    stored = session.execute(select(func.max(kind_version.c.version))
                             .where(kind_version.c.kind == command.kind)).scalar()
    version = max(shipped, stored or 0) + 1
    definition = command.model_dump(mode="json", exclude={"kind", "note"})
    try:
        kind = _from_definition(command.kind, version, definition)  # Kind's own checks
    except ValueError as exc:
        raise _refuse(str(exc), "the kind's definition is consistent", {}) from None
    try:
        with session.begin_nested():
            session.execute(insert(kind_version).values(
                kind=command.kind, version=version, definition=definition,
                note=command.note, published_by=ctx.actor_id,
                published_role=ctx.actor_role, published_at=now))
        held.looked_at = float("-inf")         # the next call reads it, once committed
    except IntegrityError:
        raise Conflict("Another version of this kind was published meanwhile; read the "
                       "versions again.", {"kind": command.kind}) from None
    return {**kind.describe(), "source": "published", "in_force": True,
            "published_by": ctx.actor_id, "published_at": now.isoformat(),
            "note": command.note}
