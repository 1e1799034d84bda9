"""Rules of the member register's routes: a society's representatives for their own
society, the registrar's office for any society its grant reaches; another society's
register answers 404 (its existence is not revealed)."""

from __future__ import annotations

from gateway.identity import roles as R
from gateway.rules.base import Access, allow

# Who keeps or reads a register: the society itself and the registrar's office.
KEEPERS = ("society_representative", "registrar", "dealing_officer")


def _keepers() -> Access:
    return allow(*KEEPERS, scope=(R.SOCIETY, "society_id"), hide_existence=True)


RULES: dict[str, Access] = {
    name: _keepers() for name in (
        "members.add", "members.search", "members.get", "members.update", "members.cease",
        "members.snapshot", "members.export", "members.import",
    )
}
