"""What each kind of case is, as versioned data: one module per kind, each a ``KIND``
(states, transitions, the roles that may take each, parties, deadlines). The engine
(services/grievance/engine.py) reads nothing else; a case keeps the version it was
opened under, so a later version of a kind never changes a case already running."""

from services.grievance.kinds import (
    appeal,
    arbitration,
    court_case,
    grievance,
    inquiry,
    inspection,
)
from services.grievance.kinds.definition import Kind, Transition

KINDS: dict[tuple[str, int], Kind] = {
    (module.KIND.name, module.KIND.version): module.KIND
    for module in (grievance, inquiry, inspection, arbitration, appeal, court_case)
}
LATEST: dict[str, Kind] = {}
for _kind in KINDS.values():
    if _kind.name not in LATEST or LATEST[_kind.name].version < _kind.version:
        LATEST[_kind.name] = _kind

__all__ = ["KINDS", "LATEST", "Kind", "Transition"]
