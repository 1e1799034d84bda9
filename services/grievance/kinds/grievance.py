"""A grievance (seed 000: members, creditors and citizens against a society, a board
member, an officer, an external user or the portal). Version 1."""

from services.grievance.kinds.definition import COMPLAINANT, OFFICE, Kind, Transition

REOPEN_WINDOW_DAYS = 30

KIND = Kind(
    name="grievance", version=1, title="Grievance", title_hi="शिकायत",
    initial="received",
    states=("received", "assigned", "awaiting_complainant", "resolved", "reopened",
            "closed", "withdrawn"),
    closed_states=("closed", "withdrawn"),
    openers=("citizen", "society_representative"),
    parties=("complainant", "respondent", "office"),
    initial_deadline_days=3,
    transitions=(
        Transition("assign", ("received", "reopened", "assigned"), "assigned", OFFICE,
                   "सौंपी गई", deadline_days=15),
        Transition("reply", ("assigned",), "assigned", OFFICE, "उत्तर दिया गया"),
        Transition("ask_complainant", ("assigned",), "awaiting_complainant", OFFICE,
                   "शिकायतकर्ता से जानकारी माँगी गई", deadline_days=15),
        Transition("complainant_replies", ("awaiting_complainant",), "assigned",
                   (COMPLAINANT,), "शिकायतकर्ता ने उत्तर दिया", deadline_days=15),
        Transition("resolve", ("assigned",), "resolved", OFFICE, "समाधान किया गया"),
        Transition("rate", ("resolved",), "closed", (COMPLAINANT,),
                   "शिकायतकर्ता ने मूल्यांकन दिया"),
        Transition("reopen", ("resolved", "closed"), "reopened", (COMPLAINANT,),
                   "पुनः खोली गई", deadline_days=3, within_days=REOPEN_WINDOW_DAYS),
        Transition("close", ("resolved",), "closed", OFFICE, "बंद की गई"),
        Transition("withdraw", ("received", "assigned", "awaiting_complainant",
                                "reopened"), "withdrawn", (COMPLAINANT,), "वापस ली गई"),
    ),
)
