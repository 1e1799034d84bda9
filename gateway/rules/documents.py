"""Rules of the documents routes: uploads, downloads, templates, certificates and their
public verification.

The gateway lets a role in; the documents service decides per document from its access
level, its owner and the caller's scope (public, citizens with OTP, society and office,
office only), so these rules carry no path scope. Public routes read public documents
only; signed-in readers use the other routes with their grant."""

from __future__ import annotations

from gateway.rules.base import Access, allow, public

OFFICE = ("registrar", "dealing_officer")
# Who files documents for something they act on (the service checks the owner).
UPLOADERS = ("society_representative", "registrar", "dealing_officer", "auditor",
             "inspector", "inquirer", "arbitrator", "liquidator", "returning_officer",
             "applicant")
# Who reads beyond public documents: the uploaders, citizens signed in by OTP (seed 001)
# and the election authority.
READERS = (*UPLOADERS, "citizen", "cea_official")

RULES: dict[str, Access] = {
    "documents.upload": allow(*UPLOADERS),
    "documents.add_version": allow(*UPLOADERS),
    "documents.list": allow(*READERS),
    "documents.get": allow(*READERS),
    "documents.download": allow(*READERS),
    "documents.downloads": allow(*OFFICE),
    "documents.issue_order": allow(*OFFICE),
    "documents.public_list": public(),
    "documents.templates": public(),
    "documents.public_get": public(),
    "documents.public_download": public(),
    "documents.verify_code": public(),
    "documents.verify_file": public(),
}
