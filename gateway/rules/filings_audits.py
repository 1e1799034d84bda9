"""Rules of the audits' routes (empanelment, allotment). An empanelment or allotment is
named by its id, with no scope source here: the filings service checks that an auditor
reaches only what their own account applied for or was allotted (any ``auditor`` grant:
the account's actor id is what counts) and that staff reach only the offices their
``office:`` grant covers, and answers 404 otherwise."""

from __future__ import annotations

from gateway.rules.base import Access, allow

STAFF = ("dealing_officer", "registrar")
AUDITOR = "auditor"

RULES: dict[str, Access] = {
    "filings.empanelments.apply": allow(AUDITOR),
    "filings.empanelments.list": allow(AUDITOR, *STAFF),
    "filings.empanelments.get": allow(AUDITOR, *STAFF),
    "filings.empanelments.query": allow(*STAFF),
    "filings.empanelments.reply": allow(AUDITOR),
    "filings.empanelments.approve": allow(*STAFF),
    "filings.empanelments.reject": allow(*STAFF),
    "filings.empanelments.suspend": allow(*STAFF),
    "filings.allotments.allot": allow(*STAFF),
    "filings.allotments.list": allow(AUDITOR, *STAFF),
}
