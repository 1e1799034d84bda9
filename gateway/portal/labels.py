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
BOARD_CATEGORIES = {"general": N_("General"), "women": N_("Women"), "sc_st": N_("SC/ST")}
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
