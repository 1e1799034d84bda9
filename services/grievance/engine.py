"""The case engine: whether a transition may be taken now, by this caller, from this
state, under the kind's definition the case was opened with. Pure: no database.

A refusal names the rule it applies (the kind, its version, the transition, the states
it leaves from and the roles that may take it): 409 for the wrong state or a closed
window, 403 for a role that may not take it."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.common.india import moment_text
from services.grievance.kinds import KINDS, LATEST, Kind, Transition
from services.grievance.kinds.definition import COMPLAINANT


def kind_of(name: str, version: int | None = None) -> Kind:
    found = LATEST.get(name) if version is None else KINDS.get((name, version))
    if found is None:
        raise NotFound("No such kind of case.", {"kind": name, "version": version,
                                                 "kinds": sorted(LATEST)})
    return found


def ensure_may_open(kind: Kind, role: str) -> None:
    if role not in kind.openers and role != "system":
        raise Forbidden(f"A {role} may not open a {kind.title.lower()}.",
                        {"rule": f"{kind.name} v{kind.version}: opened by "
                                 f"{', '.join(r for r in kind.openers if r != COMPLAINANT)}",
                         "your_role": role})


def roles_match(transition: Transition, role: str, is_complainant: bool) -> bool:
    return role == "system" or role in transition.roles or (
        is_complainant and COMPLAINANT in transition.roles)


def check(kind: Kind, state: str, name: str, *, role: str, is_complainant: bool,
          entered_at: datetime, now: datetime) -> Transition:
    """The transition ``name`` if it may be taken now; else the refusal naming its rule."""
    transition = kind.by_name.get(name)
    if transition is None:
        raise InvalidInput(f"A {kind.title.lower()} has no action '{name}'.",
                           fields={"action": "one of " + ", ".join(kind.by_name)})
    rule = transition.rule(kind)
    if not roles_match(transition, role, is_complainant):
        raise Forbidden(f"A {role} may not {name.replace('_', ' ')} this "
                        f"{kind.title.lower()}.", {"rule": rule, "your_role": role})
    if state not in transition.from_states:
        raise Conflict(f"This {kind.title.lower()} is {state.replace('_', ' ')}: "
                       f"'{name}' is not possible now.", {"rule": rule, "state": state})
    if transition.within_days is not None:
        closes = entered_at + timedelta(days=transition.within_days)
        if now > closes:
            raise Conflict(f"'{name}' was possible until {moment_text(closes)} "
                           f"({transition.within_days} days after the case became "
                           f"{state.replace('_', ' ')} on {moment_text(entered_at)}).",
                           {"rule": rule, "closed_at": closes.isoformat()})
    return transition


def next_due(kind: Kind, transition: Transition | None, now: datetime) -> datetime | None:
    """When the case becomes late in the state it now enters (None: no clock there)."""
    days = kind.initial_deadline_days if transition is None else transition.deadline_days
    return None if days is None else now + timedelta(days=days)


def allowed_actions(kind: Kind, state: str, role: str, is_complainant: bool) -> list[str]:
    return [t.name for t in kind.transitions
            if state in t.from_states and roles_match(t, role, is_complainant)]
