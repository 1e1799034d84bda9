"""Rules of the audit trail's reading routes (gateway/routes/audit.py). The services
check the scope again and answer 404 out of it: a society's trail for its
representatives and the registrar's offices over it (an ``office:`` grant reaches the
societies under it, gateway/office_reach.py); an office's trail for the staff whose
grant covers it (only the registry knows the hierarchy); a filing's for its filer and
the offices over it; anyone signed in reads what they did themselves; an administrator
checks a chain against its anchor."""

from __future__ import annotations

from gateway.identity import roles as R
from gateway.rules.base import ADMIN, Access, allow, authenticated

STAFF = ("dealing_officer", "registrar")

RULES: dict[str, Access] = {
    "audit.society": allow("society_representative", *STAFF,
                           scope=(R.SOCIETY, "society_id"), hide_existence=True),
    "audit.office": allow(*STAFF),
    "audit.filing": allow("society_representative", *STAFF),
    "audit.mine": authenticated(),
    "audit.verify": allow(*ADMIN),
}
