"""Rules of the filings routes. A return is named by its id, with no scope source here:
a ``society:`` grant must reach its society's returns and an ``office:`` grant those of
the offices and societies below it, which only the filings service knows (it keeps the
filer's office chain); it checks and answers 404 otherwise."""

from __future__ import annotations

from gateway.rules.base import Access, allow, public

STAFF = ("dealing_officer", "registrar")
FILERS = ("society_representative", *STAFF)

RULES: dict[str, Access] = {
    "filings.forms.list": public(),
    "filings.forms.get": public(),
    "filings.forms.publish": allow("administrator", "registrar"),
    "filings.start": allow(*FILERS),
    "filings.list": allow(*FILERS),
    "filings.get": allow(*FILERS),
    "filings.save_draft": allow(*FILERS),
    "filings.submit": allow(*FILERS),
    "filings.accept": allow(*STAFF),
    "filings.return": allow(*STAFF),
    "filings.compliance": allow(*STAFF),
    "filings.calendar": allow(*FILERS),
    "filings.audits.record": allow(*STAFF),
    "filings.audits.position": allow(*STAFF),
    "filings.audits.status": allow(*FILERS),
    "filings.assistance.eligibility": allow(*FILERS),
    "filings.standing": allow(*FILERS),
    "filings.export": allow(*FILERS),
    "filings.export_xlsx": allow(*FILERS),
    "filings.pdf": allow(*FILERS),
}
