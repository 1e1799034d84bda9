"""What notify makes of filings' audit events: an auditor's empanelment (their own
mailbox: the year, the day it ends, the yearly renewal) and an audit's allotment (the
auditor's mailbox and the society's): the rules' recipients and the texts in English and
Hindi (no broker)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.common.contracts.filings_audits import (
    AuditAllottedV1,
    AuditorEmpanelledV1,
    EmpanelmentStepTakenV1,
)
from services.notify import rules, templates
from services.notify.subscriptions import HANDLED

EMPANELMENT = "5f0c2a9e-1b7d-4c3e-8a6f-2d9e4b1c7a30"
ALLOTMENT = "9a1e7c3b-4d2f-4b6a-9c8e-7f3a2b1d0e64"


def render(key: str, language: str, notice: rules.Notice) -> templates.Rendered:
    chosen = templates.choose([t for t in templates.BUILTIN if t.key == key], language,
                              templates.NATIONAL)
    return templates.render(chosen, {**notice.variables, "recipient_name": ""})


def empanelled(**changes) -> dict:
    return AuditorEmpanelledV1(**{
        "empanelment_id": EMPANELMENT, "applicant_id": "acc-auditor-7",
        "name": "Meera Iyer", "firm_name": None, "membership_number": "123456",
        "frn": None, "financial_year": "2026-27", "office_id": "mh-pune",
        "valid_to": date(2027, 3, 31), "states": ["Maharashtra"], "districts": [],
        "renewal": False, **changes}).wire()


def test_an_empanelment_tells_the_auditor_the_year_the_end_and_the_yearly_renewal():
    [notice] = rules.notices_for("filings", "auditor_empanelled", empanelled())
    assert (notice.recipient.mailbox, notice.recipient.id, notice.kind, notice.channels,
            notice.jurisdiction) == (("user", "acc-auditor-7"), "acc-auditor-7", "order",
                                     ("mailbox",), "mh-pune")
    english = render("auditor_empanelled", "en", notice)
    assert english.subject == "Empanelled as auditor for 2026-27, until 31-03-2027"
    assert "Meera Iyer: your application for empanelment (ICAI membership number " \
        "123456) has been approved." in english.body
    assert "on the panel of auditors kept by office mh-pune for the financial year " \
        "2026-27, until 31-03-2027. You may be allotted the audits of co-operative " \
        "societies in every district of Maharashtra." in english.body
    assert "renewed each year: apply to renew for 2027-28 from 01-01-2027 to 31-12-2027. " \
        "If you are not empanelled again by 01-04-2027, no audit is allotted to you " \
        "until you are." in english.body
    assert "renews your empanelment" not in english.body and "firm" not in english.body
    hindi = render("auditor_empanelled", "hi", notice)
    assert hindi.subject == "2026-27 के लिए लेखा परीक्षक के रूप में पैनलीकरण, 31-03-2027 तक"
    assert "वित्तीय वर्ष 2026-27 के लिए कार्यालय mh-pune द्वारा रखे गए लेखा परीक्षकों के " \
        "पैनल में 31-03-2027 तक हैं।" in hindi.body
    assert "Maharashtra के सभी ज़िलों की सहकारी समितियों" in hindi.body
    assert "2027-28 के नवीनीकरण के लिए 01-01-2027 से 31-12-2027 तक आवेदन करें। यदि " \
        "01-04-2027 तक" in hindi.body


def test_a_firms_renewal_names_the_firm_the_districts_and_that_it_renews():
    [notice] = rules.notices_for("filings", "auditor_empanelled", empanelled(
        firm_name="Iyer & Rao", frn="012345W", financial_year="2027-28",
        valid_to=date(2028, 3, 31), districts=["Pune", "Satara"], renewal=True))
    english = render("auditor_empanelled", "en", notice)
    assert english.subject == "Empanelled as auditor for 2027-28, until 31-03-2028"
    assert "(ICAI membership number 123456, as the firm Iyer & Rao (FRN 012345W))" \
        in english.body
    assert "until 31-03-2028. It renews your empanelment of the year before." \
        in english.body
    assert "in the districts Pune, Satara of Maharashtra." in english.body
    assert "apply to renew for 2028-29 from 01-01-2028 to 31-12-2028" in english.body
    hindi = render("auditor_empanelled", "hi", notice)
    assert "फर्म Iyer & Rao (FRN 012345W) के रूप में" in hindi.body
    assert "यह पिछले वर्ष के पैनलीकरण का नवीनीकरण है।" in hindi.body
    assert "Maharashtra के ज़िलों Pune, Satara की सहकारी समितियों" in hindi.body


def allotted(**changes) -> dict:
    return AuditAllottedV1(**{
        "allotment_id": ALLOTMENT, "society_id": "s-pune-4",
        "society_name": "Shivneri Dairy Co-operative Society", "financial_year": "2025-26",
        "empanelment_id": EMPANELMENT, "auditor_id": "acc-auditor-7",
        "auditor_name": "Meera Iyer", "membership_number": "123456", "replaces": None,
        **changes}).wire()


def test_an_allotment_tells_the_auditor_and_the_society_and_no_one_else():
    found = rules.notices_for("filings", "audit_allotted", allotted())
    assert [(n.template_key, n.recipient.mailbox, n.kind, n.channels) for n in found] == [
        ("audit_allotted_auditor", ("user", "acc-auditor-7"), "order", ("mailbox",)),
        ("audit_allotted", ("society", "s-pune-4"), "order", ("mailbox",))]
    auditor, society = found
    english = render("audit_allotted_auditor", "en", auditor)
    assert english.subject == "Audit allotted: Shivneri Dairy Co-operative Society, 2025-26"
    assert "Meera Iyer: the audit of the accounts of Shivneri Dairy Co-operative Society " \
        "for the financial year 2025-26 has been allotted to you (ICAI membership number " \
        f"123456; allotment {ALLOTMENT})." in english.body
    assert "within six months of the year's end, by 30-09-2026" in english.body
    assert "reallotment" not in english.body
    hindi = render("audit_allotted_auditor", "hi", auditor)
    assert "Shivneri Dairy Co-operative Society के वित्तीय वर्ष 2025-26 के लेखों की लेखा " \
        "परीक्षा आपको आवंटित की गई है" in hindi.body and "30-09-2026 तक" in hindi.body
    english = render("audit_allotted", "en", society)
    assert english.subject == "Audit of 2025-26 allotted to Meera Iyer"
    assert "Shivneri Dairy Co-operative Society: the audit of your accounts for the " \
        "financial year 2025-26 has been allotted to Meera Iyer (ICAI membership number " \
        "123456), an auditor on the Registrar's panel." in english.body
    assert english.body.endswith("by 30-09-2026.")
    assert ALLOTMENT not in english.body
    hindi = render("audit_allotted", "hi", society)
    assert hindi.subject == "2025-26 की लेखा परीक्षा Meera Iyer को आवंटित"
    assert "लेखा परीक्षक Meera Iyer (ICAI सदस्यता संख्या 123456) को आवंटित की गई है।" \
        in hindi.body


def test_a_reallotment_says_it_replaces_the_earlier_allotment():
    auditor, society = rules.notices_for("filings", "audit_allotted", allotted(
        replaces="3c2b1a09-8f7e-4d6c-b5a4-938271605f4e"))
    for notice, key in ((auditor, "audit_allotted_auditor"), (society, "audit_allotted")):
        assert "It is a reallotment: it replaces the audit's earlier allotment, which no " \
            "longer stands." in render(key, "en", notice).body
        assert "यह पुनः आवंटन है" in render(key, "hi", notice).body



def test_a_reallotment_tells_the_auditor_it_replaces_that_the_audit_is_no_longer_theirs():
    _auditor, _society, replaced = rules.notices_for("filings", "audit_allotted", allotted(
        replaces="3c2b1a09-8f7e-4d6c-b5a4-938271605f4e", replaced_auditor_id="acc-old-9",
        replaced_auditor_name="Ravi Kulkarni"))
    assert replaced.recipient.mailbox == ("user", "acc-old-9")
    english = render("audit_reallotted_away", "en", replaced)
    assert english.body.startswith("Ravi Kulkarni: the audit of the accounts of")
    assert "Your allotment no longer stands" in english.body
    assert "आपका आवंटन अब मान्य नहीं है" in render("audit_reallotted_away", "hi",
                                                 replaced).body
    # a first allotment, or one that names no earlier auditor, tells only the two
    assert len(rules.notices_for("filings", "audit_allotted", allotted())) == 2


def test_the_empanelment_names_the_panels_office_when_filings_knows_it():
    [named] = rules.notices_for("filings", "auditor_empanelled", empanelled(
        office_name="Deputy Registrar, Pune"))
    assert "kept by office Deputy Registrar, Pune (mh-pune)" in render(
        "auditor_empanelled", "en", named).body
    [bare] = rules.notices_for("filings", "auditor_empanelled", empanelled())
    assert "kept by office mh-pune for" in render("auditor_empanelled", "en", bare).body


def test_the_audit_events_each_have_a_handler_and_their_templates():
    handled = {(source, event): method for source, event, method in HANDLED}
    from services.notify.service import NotifyService

    for event_type in ("auditor_empanelled", "audit_allotted", "empanelment_step"):
        assert handled[("filings", event_type)] == f"on_{event_type}"
        assert callable(getattr(NotifyService, f"on_{event_type}"))
    assert {"auditor_empanelled", "audit_allotted", "audit_allotted_auditor",
            "empanelment_step"} <= templates.BUILTIN_KEYS


def test_a_query_a_rejection_and_a_suspension_reach_the_applicant_with_the_offices_words():
    def step(name: str, text: str) -> dict:
        return EmpanelmentStepTakenV1(
            empanelment_id=EMPANELMENT, applicant_id="acc-auditor-7", name="Meera Iyer",
            financial_year="2026-27", office_id="mh-pune", step=name, text=text,
            at=datetime(2026, 5, 4, 20, 0, tzinfo=UTC)).wire()

    [query] = rules.notices_for("filings", "empanelment_step",
                                step("queried", "Attach the certificate of practice."))
    assert query.recipient.mailbox == ("user", "acc-auditor-7") and query.kind == "query"
    english = render("empanelment_step", "en", query)
    assert english.subject == "A question on your application for empanelment (2026-27)"
    assert "on 05-05-2026 office mh-pune wrote" in english.body      # IST's day
    assert "Attach the certificate of practice." in english.body
    assert "the application waits for your reply" in english.body
    hindi = render("empanelment_step", "hi", query)
    assert hindi.subject.startswith("पैनलीकरण के आपके आवेदन पर एक प्रश्न")
    [rejected] = rules.notices_for("filings", "empanelment_step",
                                   step("rejected", "Not in practice."))
    assert rejected.kind == "order"
    assert "You may apply again next year." in render("empanelment_step", "en",
                                                      rejected).body
    [suspended] = rules.notices_for("filings", "empanelment_step",
                                    step("suspended", "Disciplinary order of the ICAI."))
    assert "No audit is allotted to you while it is suspended." in render(
        "empanelment_step", "en", suspended).body

