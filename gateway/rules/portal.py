"""Rules of the portal's pages (gateway/portal/): the same matrix as the API. A page
shows what the routes it stands for show: public pages call only public RPCs with the
anonymous context; the tracker has the rule of ``applications.get``."""

from __future__ import annotations

from gateway.rules.base import Access, allow, authenticated, public
from gateway.rules.documents import RULES as DOCUMENT_RULES
from gateway.rules.elections import RULES as ELECTION_RULES
from gateway.rules.elections_counting import RULES as COUNTING_RULES
from gateway.rules.elections_nominations import RULES as NOMINATION_RULES
from gateway.rules.elections_voters import RULES as VOTER_RULES
from gateway.rules.filings import RULES as FILINGS_RULES
from gateway.rules.grievance import RULES as GRIEVANCE_RULES
from gateway.rules.grievance_hearings import RULES as HEARING_RULES
from gateway.rules.members import KEEPERS as MEMBER_KEEPERS
from gateway.rules.members import RULES as MEMBERS_RULES
from gateway.rules.notify import RULES as NOTIFY_RULES
from gateway.rules.registry import RULES as REGISTRY_RULES
from gateway.rules.registry import STAFF

RULES: dict[str, Access] = {
    **{name: public() for name in (
        "portal.home", "portal.language", "portal.directory", "portal.society",
        "portal.verify", "portal.verify_code", "portal.verify_file",
        "portal.guides", "portal.guide", "portal.court_case_status",
        "portal.sign_in", "portal.sign_in_request", "portal.sign_in_code",
        "portal.sign_in_verify", "portal.sign_in_password")},
    "portal.me": authenticated(),
    "portal.sign_out": authenticated(),
    "portal.track": REGISTRY_RULES["applications.get"],
    # the officer's queue: what applications.list answers the registrar's staff
    "portal.work_queue": allow(*STAFF),
    # one application's scrutiny page: the office's (applications.get for the staff);
    # each step the rule of its route; the registry answers only the offices it reaches
    "portal.application_scrutiny": allow(*STAFF),
    "portal.application_take_up": REGISTRY_RULES["applications.take_up"],
    "portal.application_query": REGISTRY_RULES["applications.raise_query"],
    "portal.application_hearing": REGISTRY_RULES["applications.schedule_hearing"],
    "portal.application_approve": REGISTRY_RULES["applications.approve"],
    "portal.application_reject": REGISTRY_RULES["applications.reject"],
    # the applicant's reply to a query, from the tracker; an application's audit trail
    # for the offices that reach it (the registry answers 404 otherwise)
    "portal.application_reply": REGISTRY_RULES["applications.reply"],
    "portal.application_audit": REGISTRY_RULES["applications.audit"],
    # the reports' routes' rule (registry and filings give the staff the same)
    "portal.reports": REGISTRY_RULES["reports.societies"],
    # a society's documents as the documents routes give them: the public list to
    # anyone, what it filed to whom the list lets read it (citizens by OTP)
    "portal.society_documents": DOCUMENT_RULES["documents.public_list"],
    "portal.society_filed": DOCUMENT_RULES["documents.list"],
    "portal.templates": DOCUMENT_RULES["documents.templates"],
    # the mailbox: a list has its API list's rule, a message page (which marks it read)
    # and "mark as unread" the rule of the PATCH of one message
    "portal.mailbox": NOTIFY_RULES["notify.my_mailbox"],
    "portal.message": NOTIFY_RULES["notify.my_mailbox_update"],
    "portal.message_unread": NOTIFY_RULES["notify.my_mailbox_update"],
    "portal.society_mailbox": NOTIFY_RULES["notify.society_mailbox"],
    "portal.society_message": NOTIFY_RULES["notify.society_mailbox_update"],
    "portal.society_message_unread": NOTIFY_RULES["notify.society_mailbox_update"],
    "portal.office_mailbox": NOTIFY_RULES["notify.office_mailbox"],
    "portal.office_message": NOTIFY_RULES["notify.office_mailbox_update"],
    "portal.office_message_unread": NOTIFY_RULES["notify.office_mailbox_update"],
    # a society's dashboard: the calendar and the audit status, which share one rule
    "portal.dashboards": FILINGS_RULES["filings.calendar"],
    "portal.dashboard": FILINGS_RULES["filings.calendar"],
    # the member register: the search's rule, the import form's the import's
    "portal.member_registers": allow(*MEMBER_KEEPERS),
    "portal.member_register": MEMBERS_RULES["members.search"],
    "portal.member_import_form": MEMBERS_RULES["members.import"],
    "portal.member_import": MEMBERS_RULES["members.import"],
    # elections: each page the rule of the route it stands for; the public notice is
    # the public order and programme with the lists published to anyone
    "portal.elections": ELECTION_RULES["elections.list"],
    "portal.election": ELECTION_RULES["elections.get"],
    "portal.election_notice": ELECTION_RULES["elections.public"],
    "portal.election_objections": VOTER_RULES["elections.voters.list_objections"],
    "portal.election_objection_decision": VOTER_RULES["elections.voters.decide_objection"],
    # the officers' list of nominations as filed (before the display too), with the
    # officer's own identity, beside the RO's scrutiny
    "portal.election_nominations": ELECTION_RULES["elections.scrutiny_nominations"],
    "portal.election_nomination_decision": NOMINATION_RULES["elections.nominations.decide"],
    # the booths page reads the order (its officers) to offer the visitor's booths
    "portal.election_booths": COUNTING_RULES["elections.counting.enter"],
    "portal.election_booth_result": COUNTING_RULES["elections.counting.enter"],
    "portal.election_reconciliation": COUNTING_RULES["elections.counting.queue"],
    "portal.election_reconcile": COUNTING_RULES["elections.counting.reconcile"],
    "portal.election_forms": COUNTING_RULES["elections.counting.list_forms"],
    "portal.election_form_19m_preview": COUNTING_RULES["elections.counting.preview_19m"],
    "portal.election_form_19m_submit": COUNTING_RULES["elections.counting.submit_19m"],
    "portal.election_form_19n_preview": COUNTING_RULES["elections.counting.preview_19n"],
    "portal.election_form_19n_submit": COUNTING_RULES["elections.counting.submit_19n"],
    "portal.election_form": COUNTING_RULES["elections.counting.get_form"],
    "portal.election_form_decision": COUNTING_RULES["elections.counting.decide"],
    "portal.election_ob_meeting": ELECTION_RULES["elections.ob_meeting"],
    "portal.election_ob_meeting_record": ELECTION_RULES["elections.record_ob_meeting"],
    # cases: each page the rule of the route it stands for (the grievance service then
    # weighs the grant against the case: another office's is 404); a court case's
    # status is public, as GET /v1/court-cases/status/{number}
    "portal.cases": GRIEVANCE_RULES["cases.list"],
    "portal.case": GRIEVANCE_RULES["cases.get"],
    "portal.case_action": GRIEVANCE_RULES["cases.act"],
    "portal.case_hearing": HEARING_RULES["cases.schedule_hearing"],
    "portal.case_order": HEARING_RULES["cases.record_order"],
    "portal.case_audit": GRIEVANCE_RULES["cases.audit"],
    # the case dashboard's figures as charts: the dashboard route's rule
    "portal.case_dashboard": GRIEVANCE_RULES["cases.dashboard"],
    # a document a case names: the download route's rule (the documents service then
    # decides from the document's access level and the visitor's grant)
    "portal.document": DOCUMENT_RULES["documents.download"],
    "portal.grievance_form": GRIEVANCE_RULES["grievances.raise"],
    "portal.grievance_raise": GRIEVANCE_RULES["grievances.raise"],
}
