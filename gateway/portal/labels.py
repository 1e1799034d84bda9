"""What the portal calls the register's codes (society types and statuses, application
stages, certificate kinds): message ids marked for the catalogues, translated where shown
(``{{ _(labels.SOCIETY_TYPES[code]) }}``); a unit test keeps them equal to the contracts'
codes."""

from __future__ import annotations


def N_(message: str) -> str:
    return message


SOCIETY_TYPES = {
    "credit": N_("Credit"), "bank": N_("Co-operative bank"), "housing": N_("Housing"),
    "dairy": N_("Dairy"), "pacs": N_("Primary agricultural credit (PACS)"),
    "consumer": N_("Consumer"), "marketing": N_("Marketing"), "fishery": N_("Fishery"),
    "weavers": N_("Weavers"), "labour_contract": N_("Labour contract"),
    "engineers": N_("Engineers"), "industrial": N_("Industrial"),
    "cold_storage": N_("Cold storage"), "shg_federation": N_("Self-help group federation"),
    "others": N_("Others"),
}
SOCIETY_STATUSES_SHOWN = {
    "registered": N_("Registered"), "under_liquidation": N_("Under liquidation"),
    "wound_up": N_("Wound up"), "revived": N_("Revived"), "deregistered": N_("Deregistered"),
}
APPLICATION_STAGES_SHOWN = {
    "draft": N_("Draft"), "submitted": N_("Submitted"), "under_scrutiny": N_("Under scrutiny"),
    "query_raised": N_("Query raised"), "hearing_scheduled": N_("Hearing scheduled"),
    "approved": N_("Approved"), "rejected": N_("Rejected"),
}
APPLICATION_KINDS = {
    "registration": N_("Registration of a society"),
    "bye_law_amendment": N_("Amendment of bye-laws"),
    "branch_opening": N_("Opening a branch"),
}
# The fields of the application forms (services/common/contracts/registry.py
# RegistrationFormV1, ByeLawAmendmentFormV1, BranchOpeningFormV1), as the scrutiny page
# names them; a field without a name here shows by its code.
APPLICATION_FIELDS = {
    "name": N_("Name"), "address": N_("Address"), "state": N_("State"),
    "district": N_("District"), "area_of_operation": N_("Area of operation"),
    "type": N_("Type"), "board_seats": N_("Board seats"),
    "office_bearers": N_("Office bearers"), "role": N_("Role"), "contacts": N_("Contacts"),
    "email": N_("Email"), "phone": N_("Phone"), "language": N_("Language"),
    "bye_law_document_ids": N_("Bye-laws (documents)"), "summary": N_("Summary"),
    "proposed_opening": N_("Proposed opening"), "general": N_("General"),
    "women": N_("Women"), "sc_st": N_("SC/ST"),
}
BOARD_CATEGORIES = {"general": N_("General"), "women": N_("Women"), "sc_st": N_("SC/ST")}
OB_POSTS = {"chairman": N_("Chairman"), "vice_chairman": N_("Vice-chairman"),
            "president": N_("President"), "vice_president": N_("Vice-president")}
CERTIFICATE_KINDS = {
    "registration": N_("Registration certificate"), "order": N_("Order"),
    "form_19m": N_("Form 19M (election result)"), "form_19n": N_("Form 19N (election result)"),
}
MESSAGE_KINDS = {
    "notice": N_("Notice"), "certificate": N_("Certificate"), "order": N_("Order"),
    "query": N_("Query"), "reminder": N_("Reminder"), "message": N_("Message"),
}
AUDIT_CATEGORIES = {
    "up_to_date": N_("Audit up to date"), "pending_1_3": N_("Audit pending 1 to 3 years"),
    "pending_over_3": N_("Audit pending more than 3 years"),
}
MEMBER_CATEGORIES = {"individual": N_("Individual"), "firm": N_("Firm"),
                     "society": N_("Society")}
ELECTION_STAGES = {
    "provisional_list": N_("Publication of the provisional list of voters"),
    "objections": N_("Objections to the provisional list"),
    "objection_scrutiny": N_("Scrutiny of objections to the provisional list"),
    "final_list": N_("Publication of the final list of voters"),
    "nominations": N_("Issue and filing of nomination forms"),
    "nomination_display": N_("Display of nominations received"),
    "nomination_scrutiny": N_("Scrutiny of nominations"),
    "valid_nominations": N_("Publication of the list of valid nominations"),
    "withdrawal": N_("Withdrawal of nominations"),
    "contesting_list": N_("Publication of the final list of contesting candidates"),
    "poll": N_("Polling"),
    "counting": N_("Counting of votes"),
    "form_19m": N_("Submission of Form 19M to the CEA"),
    "board_declaration": N_("Declaration of the result of the board of directors"),
    "ob_nominations": N_("Office bearers: filing of nominations"),
    "ob_scrutiny": N_("Office bearers: scrutiny of nominations"),
    "ob_withdrawal": N_("Office bearers: withdrawal of nominations"),
    "ob_contesting_list": N_("Office bearers: list of contesting candidates"),
    "ob_meeting": N_("Meeting of the new board chaired by the Returning Officer"),
    "form_19n": N_("Submission of Form 19N to the CEA"),
    "ob_declaration": N_("Declaration of the result of the office bearers"),
}
ELECTION_STATUSES = {
    "ordered": N_("Ordered"), "board_declared": N_("Board declared"),
    "office_bearers_declared": N_("Office bearers declared"), "cancelled": N_("Cancelled"),
}
STEP_STATES = {"open": N_("Open now"), "next": N_("Next"), "overdue": N_("Overdue"),
               "done": N_("Done"), "later": N_("Later"), "closed": N_("Closed")}
OBJECTION_KINDS = {"add": N_("Add a voter"), "delete": N_("Delete a voter"),
                   "correct": N_("Correct an entry")}
OBJECTION_STATUSES = {"pending": N_("Pending"), "upheld": N_("Upheld"),
                      "dismissed": N_("Dismissed")}
NOMINATION_STATUSES = {"filed": N_("Filed"), "accepted": N_("Accepted"),
                       "rejected": N_("Rejected"), "withdrawn": N_("Withdrawn")}
# Section A of Forms 19M and 19N, item by item (services/elections/counting/forms.py).
FORM_ITEMS = {
    "i_name_and_registration": N_("(i) Name of the society and its registration number"),
    "ii_a_polling_held": N_("(ii)(a) Was a poll held?"),
    "ii_a_date_and_hours": N_("(ii)(a) Date and hours of the poll"),
    "ii_b_scheduled_date": N_("(ii)(b) Scheduled date of the poll"),
    "date_of_poll": N_("Date of poll"),
    "iii_peaceful": N_("(iii) Was the election peaceful?"),
    "iii_disruption": N_("(iii) Instances of disruption"),
    "iv_seats_bye_laws": N_("(iv) Seats under the bye-laws"),
    "v_seats_notified": N_("(v) Seats notified"),
    "vi_received": N_("(vi) Nominations received"),
    "vii_rejected": N_("(vii) Nominations rejected"),
    "viii_withdrawn": N_("(viii) Nominations withdrawn"),
    "ix_contesting": N_("(ix) Contesting candidates"),
    "x_eligible_voters": N_("(x) Eligible voters"),
    "xi_votes_cast": N_("(xi) Votes cast"),
    "xii_votes_rejected": N_("(xii) Votes rejected"),
    "xiii_unopposed": N_("(xiii) Elected unopposed"),
    "xiv_polled": N_("(xiv) Seats filled by the poll"),
    "iv_chaired_by_ro": N_("(iv) Chaired by the Returning Officer?"),
    "iv_ro_name": N_("(iv) Chaired by"),
    "v_posts_bye_laws": N_("(v) Posts under the bye-laws"),
    "vi_posts_notified": N_("(vi) Posts notified"),
    "vii_contesting": N_("(vii) Contesting candidates"),
    "viii_meeting_at": N_("(viii) Date and time of the meeting"),
    "ix_venue": N_("(ix) Venue"),
    "x_incumbent_directors": N_("(x) Directors on the board"),
    "xi_attended": N_("(xi) Directors present"),
    "xii_unopposed_posts": N_("(xii) Posts filled unopposed"),
    "xiii_polled_posts": N_("(xiii) Posts filled by a vote"),
    "6_candidates": N_("6. Candidates and votes"),
    "7_vacant": N_("7. Seats left vacant"),
    "8_court_cases": N_("8. Court cases"),
}
FORM_WORDS = {"Yes": N_("Yes"), "No": N_("No"), "Not applicable": N_("Not applicable"),
              "Unopposed": N_("Unopposed"), "unopposed": N_("Unopposed")}
FORM_STATUSES = {"submitted": N_("Waiting for the CEA"), "approved": N_("Approved"),
                 "rejected": N_("Rejected")}
ROLES = {
    "society_representative": N_("Society representative"),
    "applicant": N_("Applicant / promoter"), "dealing_officer": N_("Dealing officer"),
    "registrar": N_("Registrar"), "auditor": N_("Auditor"), "inspector": N_("Inspector"),
    "inquirer": N_("Inquirer"), "arbitrator": N_("Arbitrator"), "liquidator": N_("Liquidator"),
    "cea_official": N_("Co-operative Election Authority official"),
    "returning_officer": N_("Returning officer"),
    "assistant_returning_officer": N_("Assistant returning officer"),
    "citizen": N_("Citizen"), "administrator": N_("Administrator"),
}


class Shown(dict):
    """Codes to names in one language; a code without a name shows as itself."""

    def __missing__(self, code: str) -> str:
        return code


def shown(gettext) -> dict[str, Shown]:
    """Every table above translated once (templates read ``L.SOCIETY_TYPES[code]``
    instead of calling gettext for every row)."""
    tables = {name: value for name, value in globals().items()
              if name.isupper() and isinstance(value, dict)}
    return {name: Shown({code: gettext(text) for code, text in table.items()})
            for name, table in tables.items()}
