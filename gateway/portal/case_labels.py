"""What the case pages call the grievance service's codes (kinds, states, actions,
categories, what a grievance is against, who raises it): message ids marked for the
catalogues, shown translated through ``shown``. The codes are the kinds' own
(services/grievance/kinds/); a unit test keeps the tables equal to them."""

from __future__ import annotations

from gateway.portal.labels import N_, Shown

CASE_KINDS = {
    "grievance": N_("Grievance"), "inquiry": N_("Inquiry"), "inspection": N_("Inspection"),
    "arbitration": N_("Arbitration"), "appeal": N_("Appeal"), "court_case": N_("Court case"),
}
CASE_STATES = {
    "received": N_("Received"), "assigned": N_("Assigned to an officer"),
    "awaiting_complainant": N_("Waiting for the complainant"), "resolved": N_("Resolved"),
    "closed": N_("Closed"), "withdrawn": N_("Withdrawn"), "reopened": N_("Reopened"),
    "requested": N_("Requested"), "ordered": N_("Ordered"), "in_progress": N_("In progress"),
    "reported": N_("Reported"), "rejected": N_("Rejected"), "filed": N_("Filed"),
    "referred": N_("Referred to the arbitrator"), "hearing": N_("Hearing"),
    "award": N_("Award made"), "dismissed": N_("Dismissed"), "admitted": N_("Admitted"),
    "decided": N_("Decided"), "pending": N_("Pending"), "reserved": N_("Order reserved"),
    "disposed": N_("Disposed of"),
}
CASE_ACTIONS = {
    "open": N_("Opened"), "escalate": N_("Escalated to the next office"),
    "assign": N_("Assign to an officer"), "reply": N_("Reply to the complainant"),
    "ask_complainant": N_("Ask the complainant"),
    "complainant_replies": N_("Reply to the office"), "resolve": N_("Resolve"),
    "rate": N_("Rate the resolution"), "reopen": N_("Reopen"), "close": N_("Close"),
    "withdraw": N_("Withdraw"), "order": N_("Order it"), "reject": N_("Reject"),
    "start": N_("Start"), "request_documents": N_("Ask for documents"),
    "request_general_meeting": N_("Ask for a general meeting"),
    "submit_cost": N_("Submit the cost"), "submit_report": N_("Submit the report"),
    "recommend_winding_up": N_("Recommend winding up"),
    "refer": N_("Refer to an arbitrator"), "dismiss": N_("Dismiss"), "hear": N_("Hear"),
    "make_award": N_("Make the award"), "admit": N_("Admit"), "decide": N_("Decide"),
    "list_hearing": N_("List a hearing"), "reserve": N_("Reserve the order"),
    "record_order": N_("Record an order"), "dispose": N_("Dispose of"),
}
CASE_CATEGORIES = {
    "membership": N_("Membership"), "accounts_and_dividend": N_("Accounts and dividend"),
    "loans_and_deposits": N_("Loans and deposits"), "elections": N_("Elections"),
    "management": N_("Management"), "housing": N_("Housing"),
    "services": N_("Services"), "portal": N_("This portal"), "other": N_("Other"),
}
AGAINST_TYPES = {
    "society": N_("The society"), "board_member": N_("A member of its board"),
    "officer": N_("An officer"), "external_user": N_("Someone else"),
    "portal": N_("This portal"),
}
PARTY_ROLES = {
    "complainant": N_("Complainant"), "respondent": N_("Respondent"), "office": N_("Office"),
    "requester": N_("Requested by"), "society": N_("Society"),
    "supporting_voters": N_("Supporting voters"), "appellant": N_("Appellant"),
    "claimant": N_("Claimant"), "petitioners": N_("Petitioners"),
    "respondents": N_("Respondents"),
}
COMPLAINANT_TYPES = {"member": N_("A member of the society"), "creditor": N_("A creditor"),
                     "citizen": N_("A citizen")}


def shown(gettext) -> dict[str, Shown]:
    """Every table above in one language (``C.CASE_STATES[code]`` in the templates)."""
    tables = {name: value for name, value in globals().items()
              if name.isupper() and isinstance(value, dict)}
    return {name: Shown({code: gettext(text) for code, text in table.items()})
            for name, table in tables.items()}
