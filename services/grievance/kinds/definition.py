"""The shape of a kind's definition. Plain frozen data, checked once on import
(``Kind.__post_init__``): every transition leaves from and arrives at a declared state,
the initial and closed states are declared, and every role is a known one."""

from __future__ import annotations

from dataclasses import dataclass, field

# Roles as gateway/identity/roles.py names them; "office" stands for the office side
# (dealing officer or registrar) whose grant covers the case's office.
OFFICE = ("dealing_officer", "registrar")
CASE_WORKERS = ("auditor", "inspector", "inquirer", "arbitrator")
COMPLAINANT = "complainant"          # whoever opened the case, whatever their role
# Every role a kind may name (gateway/identity/roles.py has them; a unit test keeps the
# two agreeing): the office side, the case workers, those who raise cases, and the
# administrator. ``complainant`` may take a transition, not open a case.
KNOWN_ROLES = (*OFFICE, *CASE_WORKERS, "citizen", "society_representative", "administrator")


@dataclass(frozen=True)
class Transition:
    name: str
    from_states: tuple[str, ...]
    to: str
    roles: tuple[str, ...]           # role names, or COMPLAINANT
    title_hi: str = ""
    # Days the case may then stay in ``to`` before it is late (None: no clock).
    deadline_days: int | None = None
    # Days after entering ``from_states`` within which it may be taken (None: any time).
    within_days: int | None = None

    def rule(self, kind: Kind) -> str:
        return (f"{kind.name} v{kind.version}: '{self.name}' goes from "
                f"{' or '.join(self.from_states)} to {self.to}, taken by "
                f"{', '.join(self.roles)}")


@dataclass(frozen=True)
class Kind:
    name: str
    version: int
    title: str
    title_hi: str
    initial: str
    states: tuple[str, ...]
    closed_states: tuple[str, ...]
    transitions: tuple[Transition, ...]
    # Who may open one, and the parties a case of this kind names.
    openers: tuple[str, ...]
    parties: tuple[str, ...]
    # Days the case may stay in its initial state before it is late.
    initial_deadline_days: int | None = None
    by_name: dict[str, Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.initial not in self.states:
            raise ValueError(f"{self.name}: initial state {self.initial} is not declared")
        undeclared = set(self.closed_states) - set(self.states)
        if undeclared:
            raise ValueError(f"{self.name}: closed states {sorted(undeclared)} are not "
                             f"declared")
        unknown_roles = (set(self.openers) - set(KNOWN_ROLES)) | {
            role for t in self.transitions for role in t.roles
            if role not in KNOWN_ROLES and role != COMPLAINANT}
        if unknown_roles:
            raise ValueError(f"{self.name}: unknown roles {sorted(unknown_roles)}")
        names: dict[str, Transition] = {}
        for transition in self.transitions:
            unknown = {*transition.from_states, transition.to} - set(self.states)
            if unknown:
                raise ValueError(f"{self.name}: {transition.name} names undeclared "
                                 f"states {sorted(unknown)}")
            if transition.name in names:
                raise ValueError(f"{self.name}: {transition.name} declared twice")
            names[transition.name] = transition
        object.__setattr__(self, "by_name", names)

    def describe(self) -> dict:
        return {"kind": self.name, "version": self.version, "title": self.title,
                "title_hi": self.title_hi, "initial": self.initial,
                "states": list(self.states), "closed_states": list(self.closed_states),
                "openers": list(self.openers), "parties": list(self.parties),
                "transitions": [{"name": t.name, "from": list(t.from_states), "to": t.to,
                                 "roles": list(t.roles), "deadline_days": t.deadline_days,
                                 "within_days": t.within_days}
                                for t in self.transitions]}
