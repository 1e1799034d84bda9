"""THE event rules: which facts of other services become which notifications.

One table, ``RULES``: for a (source, event type) a function that reads the event with
its publisher's contract (``services/common/contracts``: unknown fields ignored, so a
publisher may add fields) and answers the notices to send, each with its template,
variables, recipient, channels and links.
Adding a reminder is adding a row here; the handler in service.py applies any rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from services.common.contracts.documents import CertificateIssuedV1
from services.common.contracts.elections import StagePublishedV1
from services.common.contracts.elections_accounts import InspectionNoticePostedV1
from services.common.contracts.elections_counting import ResultDeclaredV1
from services.common.contracts.filings import (
    FilingDecidedV1,
    FilingDueSoonV1,
    FilingOverdueV1,
    OfficeFilingDueSoonV1,
    OfficeFilingOverdueV1,
)
from services.common.contracts.filings_assistance import (
    AssistanceDecidedV1,
    AssistanceReleasedV1,
    AssistanceUtilisedV1,
    LoanRepaymentRecordedV1,
)
from services.common.contracts.filings_audits import (
    AuditAllottedV1,
    AuditorEmpanelledV1,
    AuditReminderV1,
    EmpanelmentStepTakenV1,
)
from services.common.contracts.grievance import (
    CaseEscalatedV1,
    CaseOpenedV1,
    CaseTransitionedV1,
    HearingReminderV1,
    HearingScheduledV1,
)
from services.common.contracts.notify import CreateMassMessageV1
from services.common.contracts.registry import (
    ApplicationDueSoonV1,
    ApplicationOverdueV1,
    ApplicationStageChangedV1,
    SocietyRegisteredV1,
)
from services.common.india import INDIA, day_text, rupees_text
from services.notify.templates import NATIONAL


@dataclass(frozen=True)
class Recipient:
    id: str                                  # stable: account, society or office id
    name: str = ""
    mailbox: tuple[str, str] | None = None   # (kind, id) of the mailbox to post to
    email: str | None = None
    phone: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Notice:
    template_key: str
    kind: str                                # mailbox message kind
    recipient: Recipient
    channels: tuple[str, ...]                # mailbox, email, sms
    variables: dict[str, Any]
    links: list[dict] = field(default_factory=list)
    jurisdiction: str = NATIONAL


def society_mailbox(society_id: str, name: str = "") -> Recipient:
    """A society as a recipient: its mailbox (the society's notice board)."""
    return Recipient(id=f"society-{society_id}", name=name, mailbox=("society", society_id))


def _applicant(event: ApplicationStageChangedV1) -> Recipient:
    person = event.applicant
    return Recipient(id=person.account_id, name=person.name,
                     mailbox=("user", person.account_id), email=person.email,
                     phone=person.phone, language=person.language)


def _when(moment: datetime) -> str:
    """A time as people read it in a notice (India time)."""
    return moment.astimezone(INDIA).strftime("%d %b %Y, %H:%M IST")


def _certifies(subject: dict[str, Any]) -> str:
    """What a certificate certifies, in a few words."""
    parts = [subject.get(key) for key in ("name", "title", "registration_number",
                                          "order_number")]
    return ", ".join(str(part) for part in parts if part)


# stage -> (template, mailbox message kind, channels)
STAGE_NOTICES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "query_raised": ("application_query_raised", "query", ("mailbox", "email")),
    "approved": ("application_approved", "order", ("mailbox", "email", "sms")),
    "rejected": ("application_rejected", "order", ("mailbox", "email", "sms")),
    "hearing_scheduled": ("application_hearing_scheduled", "notice",
                          ("mailbox", "email", "sms")),
}


def application_stage_changed(payload: dict, portal_url: str = "") -> list[Notice]:
    event = ApplicationStageChangedV1.model_validate(payload)
    chosen = STAGE_NOTICES.get(event.stage)
    if chosen is None:
        return []
    template, kind, channels = chosen
    variables = {"application_id": event.application_id, "kind": event.kind,
                 "reason": event.reason or "",
                 "hearing_at": _when(event.hearing.at) if event.hearing else "",
                 "hearing_link": event.hearing.link if event.hearing else ""}
    links = ([{"title": "Hearing", "url": event.hearing.link}]
             if event.hearing and event.hearing.link else [])
    return [Notice(template, kind, _applicant(event), channels, variables, links,
                   event.office_id or NATIONAL)]


def _deadline(template: str, contract) -> Callable[[dict], list[Notice]]:
    def notices(payload: dict, portal_url: str = "") -> list[Notice]:
        event = contract.model_validate(payload)
        office = Recipient(id=f"office-{event.office_id}", name="",
                           mailbox=("office", event.office_id))
        variables = {"application_id": event.application_id, "kind": event.kind,
                     "stage": event.stage, "deadline": _when(event.deadline)}
        return [Notice(template, "reminder", office, ("mailbox",), variables, [],
                       event.office_id)]
    return notices


def society_registered(payload: dict, portal_url: str = "") -> list[Notice]:
    event = SocietyRegisteredV1.model_validate(payload)
    society = society_mailbox(event.society_id, event.name)
    variables = {"society_name": event.name,
                 "registration_number": event.registration_number}
    return [Notice("society_registered", "certificate", society, ("mailbox",), variables,
                   [], event.office_id or NATIONAL)]


# The certificates a society is told of. Others (Forms 19M/19N: the RO's papers to the
# CEA, not the society's) send nothing, and so does a kind added later until it is named
# here with its notice.
SOCIETY_CERTIFICATES = frozenset({"registration", "order"})


def certificate_issued(payload: dict, portal_url: str = "") -> list[Notice]:
    event = CertificateIssuedV1.model_validate(payload)
    if event.certificate_kind not in SOCIETY_CERTIFICATES:
        return []
    link = f"{portal_url.rstrip('/')}/documents/{event.document_id}"
    society = society_mailbox(event.society_id)
    variables = {"certificate_kind": event.certificate_kind,
                 "subject": _certifies(event.subject),
                 "verification_code": event.verification_code, "link": link}
    links = [{"title": f"{event.certificate_kind} certificate".strip(),
              "document_id": event.document_id, "url": link}]
    return [Notice("certificate_issued", "certificate", society, ("mailbox",), variables,
                   links)]


def election_variables(event: StagePublishedV1) -> dict[str, str]:
    return {"society_name": event.society_name, "election_number": event.number,
            "stage_title": event.title, "stage_title_hi": event.title_hi,
            "published_at": _when(event.published_at)}


def election_stage_published(payload: dict, portal_url: str = "") -> list[Notice]:
    """The society's mailbox gets every stage's notice; its members get it by SMS and
    e-mail as a mass message (service.py: ``on_election_stage_published``)."""
    event = StagePublishedV1.model_validate(payload)
    society = society_mailbox(event.society_id, event.society_name)
    links = [{"title": event.title, "document_id": d,
              "url": f"{portal_url.rstrip('/')}/documents/{d}"} for d in event.document_ids]
    return [Notice("election_stage_published", "notice", society, ("mailbox",),
                   election_variables(event), links)]


CONTEST_TITLES = {"board": ("board of directors", "निदेशक मंडल"),
                  "office_bearer": ("office bearers", "पदाधिकारियों")}


def result_variables(event: ResultDeclaredV1) -> dict[str, str]:
    title, title_hi = CONTEST_TITLES.get(event.contest, (event.contest, event.contest))
    elected = "\n".join(
        f"{e.candidate_name} ({e.category.replace('_', ' ')}, {e.membership_number})"
        for e in event.elected)
    return {"society_name": event.society_name, "election_number": event.number,
            "contest_title": title, "contest_title_hi": title_hi,
            "elected": elected or "-", "elected_count": str(len(event.elected)),
            "declared_at": _when(event.declared_at)}


def election_result_declared(payload: dict, portal_url: str = "") -> list[Notice]:
    """A declared result (after the CEA's approval): the society's mailbox, and its
    members by SMS and e-mail (``MASS_RULES``)."""
    event = ResultDeclaredV1.model_validate(payload)
    society = society_mailbox(event.society_id, event.society_name)
    return [Notice("election_result_declared", "notice", society, ("mailbox",),
                   result_variables(event), [])]


def election_expense_inspection(payload: dict, portal_url: str = "") -> list[Notice]:
    """Rule 19X: the RO's notice, on the society's notice board (its mailbox)."""
    event = InspectionNoticePostedV1.model_validate(payload)
    society = society_mailbox(event.society_id, event.society_name)
    variables = {"society_name": event.society_name, "election_number": event.number,
                 "candidate_name": event.candidate_name,
                 "lodged_on": event.lodged_on.strftime("%d-%m-%Y"),
                 "inspect_at": _when(event.inspect_at), "place": event.place}
    return [Notice("election_expense_inspection", "notice", society, ("mailbox",),
                   variables, [])]


def _filing_deadline(template: str, contract):
    """A return due soon or overdue: the society's mailbox, once per event (filings emits
    each once)."""
    def rule(payload: dict, portal_url: str = "") -> list[Notice]:
        event = contract.model_validate(payload)
        society = society_mailbox(event.society_id, event.society_name)
        title = event.form_title.get("en") or event.form_code
        variables = {"society_name": event.society_name, "form_title": title,
                     "form_title_hi": event.form_title.get("hi") or title,
                     "period_end": event.period_end.strftime("%d-%m-%Y"),
                     "due_on": event.due_on.strftime("%d-%m-%Y")}
        return [Notice(template, "reminder", society, ("mailbox",), variables, [])]
    return rule


def _office_filing_deadline(template: str, contract):
    """An office's own return due soon or overdue: the office's mailbox, which its staff
    (registrars, dealing officers of the office) read; once per event."""
    def rule(payload: dict, portal_url: str = "") -> list[Notice]:
        event = contract.model_validate(payload)
        office = Recipient(id=f"office-{event.office_id}", name=event.office_name,
                           mailbox=("office", event.office_id))
        title = event.form_title.get("en") or event.form_code
        variables = {"office_name": event.office_name, "form_title": title,
                     "form_title_hi": event.form_title.get("hi") or title,
                     "period_end": day_text(event.period_end),
                     "due_on": day_text(event.due_on)}
        return [Notice(template, "reminder", office, ("mailbox",), variables, [])]
    return rule


def office_mailbox(office_id: str, name: str = "") -> Recipient:
    """An office as a recipient: its mailbox, which its registrars and dealing officers
    read."""
    return Recipient(id=f"office-{office_id}", name=name, mailbox=("office", office_id))


def filing_decided(payload: dict, portal_url: str = "") -> list[Notice]:
    """A return sent back for correction, with the remarks of the office that decided
    it: to the filer's mailbox, a society's or, for an office's own return (decided by an
    office above it), the office's. An accepted return tells nobody."""
    event = FilingDecidedV1.model_validate(payload)
    if event.outcome != "returned" or event.filer_kind not in ("society", "office"):
        return []
    filer = (society_mailbox(event.filer_id) if event.filer_kind == "society"
             else office_mailbox(event.filer_id))
    variables = {"form_code": event.form_code,
                 "period_end": event.period_end.strftime("%d-%m-%Y"),
                 "remarks": event.remarks or "-"}
    return [Notice("filing_returned", "notice", filer, ("mailbox",), variables, [])]


ASSISTANCE_KINDS = {"share_capital": ("share capital contribution", "अंश पूंजी अंशदान"),
                    "grant": ("grant-in-aid / managerial subsidy",
                              "सहायता अनुदान / प्रबंधकीय सब्सिडी"),
                    "loan": ("a loan", "ऋण")}
ASSISTANCE_OUTCOMES = {
    "recommended": ("recommended by the District Level Committee",
                    "जिला स्तरीय समिति द्वारा अनुशंसित किया गया"),
    "not_recommended": ("not recommended by the District Level Committee",
                        "जिला स्तरीय समिति द्वारा अनुशंसित नहीं किया गया"),
    "forwarded": ("forwarded to the Registrar", "रजिस्ट्रार को अग्रेषित किया गया"),
    "sanctioned": ("sanctioned by the Registrar", "रजिस्ट्रार द्वारा स्वीकृत किया गया"),
    "rejected": ("rejected by the Registrar", "रजिस्ट्रार द्वारा अस्वीकृत किया गया"),
}


def assistance_decided(payload: dict, portal_url: str = "") -> list[Notice]:
    """A step of a society's application for financial assistance, to its mailbox; a
    forwarded one also to the state office that now decides it."""
    event = AssistanceDecidedV1.model_validate(payload)
    kind_en, kind_hi = ASSISTANCE_KINDS.get(event.kind, (event.kind, event.kind))
    outcome_en, outcome_hi = ASSISTANCE_OUTCOMES[event.outcome]
    amount = rupees_text(event.amount_paise) if event.amount_paise is not None else ""
    detail_en, detail_hi = [], []
    if amount:
        detail_en.append(f"Amount: {amount}.")
        detail_hi.append(f"राशि: {amount}।")
    if event.order_reference:
        dated = day_text(event.order_date) if event.order_date else ""
        detail_en.append(f"Order {event.order_reference} dated {dated}.")
        detail_hi.append(f"आदेश {event.order_reference} दिनांक {dated}।")
    if event.reasons:
        detail_en.append(f"Reasons: {event.reasons}")
        detail_hi.append(f"कारण: {event.reasons}")
    variables = {"society_name": event.society_name, "kind_en": kind_en,
                 "kind_hi": kind_hi, "financial_year": event.financial_year,
                 "amount_asked": rupees_text(event.amount_asked_paise),
                 "outcome_en": outcome_en, "outcome_hi": outcome_hi,
                 "detail_en": " ".join(detail_en), "detail_hi": " ".join(detail_hi)}
    notices = [Notice("assistance_decided", "order" if event.outcome in (
        "sanctioned", "rejected") else "notice",
        society_mailbox(event.society_id, event.society_name), ("mailbox",), variables, [])]
    if event.outcome == "forwarded" and event.state_office_id:
        # The Registrar's office now decides it: its staff read the office's mailbox.
        office = {**variables, "application_id": event.application_id,
                  "amount": amount or rupees_text(event.amount_asked_paise)}
        notices.append(Notice("assistance_forwarded", "notice",
                              office_mailbox(event.state_office_id), ("mailbox",), office,
                              [], event.state_office_id))
    return notices


# The kinds as the funds' notices name them ("the loan sanctioned for 2026-27").
FUNDS_KINDS = {"share_capital": ("share capital contribution", "अंश पूंजी अंशदान"),
               "grant": ("grant-in-aid / managerial subsidy",
                         "सहायता अनुदान / प्रबंधकीय सब्सिडी"),
               "loan": ("loan", "ऋण")}


def _funds_kind(kind: str) -> tuple[str, str]:
    return FUNDS_KINDS.get(kind, (kind.replace("_", " "), kind.replace("_", " ")))


def assistance_released(payload: dict, portal_url: str = "") -> list[Notice]:
    """Sanctioned funds released by the Registrar's office: the society's mailbox, with
    the amount, the day, the release order, what is released of the sanction so far and
    what the society does next (utilise the funds and record the utilisation
    certificate; a loan is repaid as its schedule sets out)."""
    event = AssistanceReleasedV1.model_validate(payload)
    kind_en, kind_hi = _funds_kind(event.kind)
    loan = event.kind == "loan"
    variables = {
        "society_name": event.society_name, "application_id": event.application_id,
        "kind_en": kind_en, "kind_hi": kind_hi, "financial_year": event.financial_year,
        "amount": rupees_text(event.amount_paise), "released_on": day_text(event.released_on),
        "reference": event.reference, "released_total": rupees_text(event.released_total_paise),
        "sanctioned": rupees_text(event.sanctioned_paise),
        "also_en": " Repay the loan as the repayment schedule of the sanction sets out."
        if loan else "",
        "also_hi": " स्वीकृति की पुनर्भुगतान अनुसूची के अनुसार ऋण का पुनर्भुगतान करें।"
        if loan else ""}
    return [Notice("assistance_released", "order",
                   society_mailbox(event.society_id, event.society_name), ("mailbox",),
                   variables, [])]


def assistance_utilised(payload: dict, portal_url: str = "") -> list[Notice]:
    """A society's utilisation certificate: the mailbox of the state office (the
    Registrar's office, which released the funds), with the certificate's link and what
    of the funds released is not yet certified."""
    event = AssistanceUtilisedV1.model_validate(payload)
    kind_en, kind_hi = _funds_kind(event.kind)
    left = max(event.released_total_paise - event.utilised_total_paise, 0)
    link = f"{portal_url.rstrip('/')}/documents/{event.document_id}"
    variables = {
        "society_name": event.society_name, "application_id": event.application_id,
        "kind_en": kind_en, "kind_hi": kind_hi, "financial_year": event.financial_year,
        "amount": rupees_text(event.amount_paise), "utilised_on": day_text(event.utilised_on),
        "utilised_total": rupees_text(event.utilised_total_paise),
        "released_total": rupees_text(event.released_total_paise),
        "balance_en": f"{rupees_text(left)} of it is not yet certified." if left else
        "All of it is certified.",
        "balance_hi": f"इसमें से {rupees_text(left)} का प्रमाणपत्र अभी शेष है।" if left else
        "पूरी राशि का प्रमाणपत्र प्राप्त है।",
        "link": link}
    links = [{"title": "Utilisation certificate", "document_id": event.document_id,
              "url": link}]
    return [Notice("assistance_utilised", "notice", office_mailbox(event.state_office_id),
                   ("mailbox",), variables, links, event.state_office_id)]


def loan_repayment_recorded(payload: dict, portal_url: str = "") -> list[Notice]:
    """A repayment of a Government loan recorded by the office: the society's mailbox,
    with the principal and interest, what stays outstanding and, for a loan with a
    repayment schedule, the principal still overdue after it (or that none is)."""
    event = LoanRepaymentRecordedV1.model_validate(payload)
    if event.overdue_paise is None:          # sanctioned without a schedule
        overdue_en = overdue_hi = ""
    elif event.overdue_paise > 0:
        overdue = rupees_text(event.overdue_paise)
        overdue_en = (f" Even after this repayment, principal of {overdue} is overdue "
                      "under the repayment schedule: repay it without delay (a society "
                      "in default is liable to penal interest).")
        overdue_hi = (f" इस पुनर्भुगतान के बाद भी पुनर्भुगतान अनुसूची के अनुसार {overdue} "
                      "मूलधन अतिदेय है: इसे बिना विलंब चुकाएँ (चूक करने वाली समिति पर दंड "
                      "ब्याज लगता है)।")
    else:
        overdue_en = " No principal is overdue under the repayment schedule."
        overdue_hi = " पुनर्भुगतान अनुसूची के अनुसार कोई मूलधन अतिदेय नहीं है।"
    variables = {
        "society_name": event.society_name, "application_id": event.application_id,
        "financial_year": event.financial_year, "paid_on": day_text(event.paid_on),
        "principal": rupees_text(event.principal_paise),
        "interest": rupees_text(event.interest_paise),
        "outstanding": rupees_text(event.outstanding_paise),
        "overdue_en": overdue_en, "overdue_hi": overdue_hi}
    return [Notice("loan_repayment_recorded", "notice",
                   society_mailbox(event.society_id, event.society_name), ("mailbox",),
                   variables, [])]


def audit_reminder(payload: dict, portal_url: str = "") -> list[Notice]:
    """A society whose audit of the year just ended is neither recorded nor allotted: a
    monthly reminder in its mailbox (filings emits each once)."""
    event = AuditReminderV1.model_validate(payload)
    variables = {"society_name": event.society_name, "financial_year": event.financial_year,
                 "due_on": day_text(event.due_on), "number": str(event.number),
                 "of": str(event.of)}
    return [Notice("audit_reminder", "reminder",
                   society_mailbox(event.society_id, event.society_name), ("mailbox",),
                   variables, [])]


def _account_mailbox(account_id: str, name: str = "") -> Recipient:
    """A person as a recipient: the mailbox of their own account (``me``), as a
    complainant's or an applicant's."""
    return Recipient(id=account_id, name=name, mailbox=("user", account_id))


def _next_year(financial_year: str) -> str:
    """'2026-27' -> '2027-28' (filings checks the form of the years it publishes)."""
    start = int(financial_year[:4]) + 1
    return f"{start}-{(start + 1) % 100:02d}"


def _audit_due_on(financial_year: str) -> date:
    """A year's audit is due within six months of its end: 30 September after it (as
    filings' ``audit_reminder`` has it)."""
    return date(int(financial_year[:4]) + 1, 9, 30)


def _served(states: list[str], districts: list[str]) -> tuple[str, str]:
    """Where an empanelled auditor may be allotted audits, in English and Hindi."""
    where = ", ".join(states)
    if not districts:
        return f"every district of {where}", f"{where} के सभी ज़िलों"
    named = ", ".join(districts)
    return f"the districts {named} of {where}", f"{where} के ज़िलों {named}"


def auditor_empanelled(payload: dict, portal_url: str = "") -> list[Notice]:
    """An auditor approved for a year's panel: their own mailbox, with the year, the day
    it ends (dd-mm-yyyy), where they may be allotted audits and that the empanelment is
    renewed each year (the next year's window and the day after which they receive no
    allotment until renewed)."""
    event = AuditorEmpanelledV1.model_validate(payload)
    ends = event.valid_to
    next_start = ends + timedelta(days=1)            # the next year's 1 April
    serves_en, serves_hi = _served(event.states, event.districts)
    firm = event.firm_name
    variables = {
        "name": event.name, "membership_number": event.membership_number,
        "firm_en": f", as the firm {firm} (FRN {event.frn or '-'})" if firm else "",
        "firm_hi": f", फर्म {firm} (FRN {event.frn or '-'}) के रूप में" if firm else "",
        "financial_year": event.financial_year,
        # the panel's office by its name where filings knows it, with its id
        "office_id": (f"{event.office_name} ({event.office_id})" if event.office_name
                      else event.office_id),
        "valid_to": day_text(ends), "serves_en": serves_en, "serves_hi": serves_hi,
        "renewal_en": " It renews your empanelment of the year before." if event.renewal
        else "",
        "renewal_hi": " यह पिछले वर्ष के पैनलीकरण का नवीनीकरण है।" if event.renewal else "",
        "next_year": _next_year(event.financial_year),
        "renew_opens": day_text(date(ends.year, 1, 1)),
        "renew_closes": day_text(date(ends.year, 12, 31)),
        "renew_by": day_text(next_start)}
    return [Notice("auditor_empanelled", "order",
                   _account_mailbox(event.applicant_id, event.name), ("mailbox",),
                   variables, [], event.office_id)]


# What each step of an empanelment application asks of the applicant.
EMPANELMENT_STEPS = {
    "queried": ("query", "A question on your application for empanelment",
                "पैनलीकरण के आपके आवेदन पर एक प्रश्न",
                "Reply to it on the platform, with any documents it asks for; the "
                "application waits for your reply.",
                "प्लेटफ़ॉर्म पर इसका उत्तर दें, माँगे गए दस्तावेज़ों सहित; आवेदन आपके उत्तर की "
                "प्रतीक्षा करता है।"),
    "rejected": ("order", "Your application for empanelment is rejected",
                 "पैनलीकरण का आपका आवेदन अस्वीकृत", "You may apply again next year.",
                 "आप अगले वर्ष फिर आवेदन कर सकते हैं।"),
    "suspended": ("order", "Your empanelment is suspended",
                  "आपका पैनलीकरण निलंबित", "No audit is allotted to you while it is "
                  "suspended.", "निलंबन के दौरान आपको कोई लेखापरीक्षा आवंटित नहीं होगी।"),
}


def empanelment_step(payload: dict, portal_url: str = "") -> list[Notice]:
    """A query on an application for empanelment, its rejection or an empanelment's
    suspension: the applicant's own mailbox, with the office's words and what follows."""
    event = EmpanelmentStepTakenV1.model_validate(payload)
    kind, title_en, title_hi, next_en, next_hi = EMPANELMENT_STEPS[event.step]
    variables = {"name": event.name, "financial_year": event.financial_year,
                 "office_id": event.office_id, "title_en": title_en, "title_hi": title_hi,
                 "text": event.text, "next_en": next_en, "next_hi": next_hi,
                 "on": day_text(event.at.astimezone(INDIA).date())}
    return [Notice("empanelment_step", kind,
                   _account_mailbox(event.applicant_id, event.name), ("mailbox",),
                   variables, [], event.office_id)]


def audit_allotted(payload: dict, portal_url: str = "") -> list[Notice]:
    """A society's audit of a year allotted (or reallotted) to an empanelled auditor: the
    auditor's own mailbox and the society's, each with the society, the year, the
    auditor and the day the audit is due; on a reallotment, the auditor it replaces
    (their own mailbox) that the audit is no longer theirs."""
    event = AuditAllottedV1.model_validate(payload)
    again = event.replaces is not None
    variables = {
        "society_name": event.society_name, "financial_year": event.financial_year,
        "auditor_name": event.auditor_name, "membership_number": event.membership_number,
        "allotment_id": event.allotment_id,
        "due_on": day_text(_audit_due_on(event.financial_year)),
        "replaces_en": " It is a reallotment: it replaces the audit's earlier allotment, "
        "which no longer stands." if again else "",
        "replaces_hi": " यह पुनः आवंटन है: यह इस लेखा परीक्षा के पहले के आवंटन का स्थान "
        "लेता है, जो अब मान्य नहीं है।" if again else ""}
    notices = [Notice("audit_allotted_auditor", "order",
                      _account_mailbox(event.auditor_id, event.auditor_name), ("mailbox",),
                      variables, []),
               Notice("audit_allotted", "order",
                      society_mailbox(event.society_id, event.society_name), ("mailbox",),
                      variables, [])]
    if event.replaced_auditor_id and event.replaced_auditor_id != event.auditor_id:
        notices.append(Notice(
            "audit_reallotted_away", "order",
            _account_mailbox(event.replaced_auditor_id, event.replaced_auditor_name or ""),
            ("mailbox",), {**variables,
                           "replaced_auditor_name": event.replaced_auditor_name or ""}, []))
    return notices


def _complainant(account_id: str, language: str) -> Recipient:
    return Recipient(id=account_id, mailbox=("user", account_id), language=language)


OFFICE_STAFF = ("dealing_officer", "registrar")


def case_opened(payload: dict, portal_url: str = "") -> list[Notice]:
    """A case just opened: its number and how to follow it, to the person who opened it
    (their mailbox, in the case's language), and, for a grievance against a society, to
    the society's mailbox. No SMS to the opener: their phone is kept with their account
    in the gateway, which the grievance service does not read (as for hearings)."""
    event = CaseOpenedV1.model_validate(payload)
    received = day_text(event.opened_at.astimezone(INDIA).date()) if event.opened_at else ""
    title_en = (event.title_en or event.kind.replace("_", " ")).lower()
    variables = {"case_number": event.number, "kind_en": title_en,
                 "kind_hi": event.title_hi or title_en, "subject": event.subject,
                 "received_on": received, "portal_url": portal_url.rstrip("/")}
    office = event.office_id or NATIONAL
    found = []
    if event.opened_by_role not in OFFICE_STAFF:     # an office opening its own case
        found.append(Notice("case_opened", "notice",
                            _complainant(event.opened_by, event.language), ("mailbox",),
                            variables, [], office))
    if event.against_type == "society" and event.society_id:
        found.append(Notice("case_opened_society", "notice",
                            society_mailbox(event.society_id), ("mailbox",), variables,
                            [], office))
    return found


def case_transitioned(payload: dict, portal_url: str = "") -> list[Notice]:
    """What happened to a case, to the person who raised it, in their language."""
    event = CaseTransitionedV1.model_validate(payload)
    variables = {"case_number": event.number, "message_en": event.message_en,
                 "message_hi": event.message_hi}
    return [Notice("case_update", "notice", _complainant(event.opened_by, event.language),
                   ("mailbox",), variables, [], event.office_id or NATIONAL)]


def case_escalated(payload: dict, portal_url: str = "") -> list[Notice]:
    """A late case reaches the next office's mailbox (once per level: grievance emits
    each escalation once)."""
    event = CaseEscalatedV1.model_validate(payload)
    if not event.to_office_id:
        return []
    office = Recipient(id=f"office-{event.to_office_id}", mailbox=("office", event.to_office_id))
    variables = {"case_number": event.number, "kind": event.kind,
                 "to_level": str(event.to_level), "due_at": _when(event.due_at),
                 "overall_breached": "yes" if event.overall_breached else "no"}
    return [Notice("case_escalated", "reminder", office, ("mailbox",), variables, [],
                   event.to_office_id)]


def _hearing_notices(template: str, event: HearingScheduledV1 | HearingReminderV1
                     ) -> list[Notice]:
    """A hearing to the person who raised the case and the society concerned (mailboxes)."""
    variables = {"case_number": event.reference or event.number,
                 "hearing_at": _when(event.hearing_at), "place": event.place,
                 "purpose": event.purpose}
    office = event.office_id or NATIONAL
    found = [Notice(template, "notice", _complainant(event.opened_by, event.language),
                    ("mailbox",), variables, [], office)]
    if event.society_id:
        found.append(Notice(template, "notice", society_mailbox(event.society_id),
                            ("mailbox",), variables, [], office))
    return found


def case_hearing_scheduled(payload: dict, portal_url: str = "") -> list[Notice]:
    """A hearing fixed: the person who raised the case and the society concerned."""
    return _hearing_notices("case_hearing_scheduled",
                            HearingScheduledV1.model_validate(payload))


def case_hearing_reminder(payload: dict, portal_url: str = "") -> list[Notice]:
    """A hearing within a day: the mailboxes again, and an SMS to each number the office
    asked to alert, in the case's language."""
    event = HearingReminderV1.model_validate(payload)
    found = _hearing_notices("case_hearing_reminder", event)
    variables = found[0].variables
    found += [Notice("case_hearing_reminder", "notice",
                     Recipient(id=f"phone:{phone}", phone=phone, language=event.language),
                     ("sms",), variables, [], event.office_id or NATIONAL)
              for phone in dict.fromkeys(event.alert_phones)]
    return found


RULES: dict[tuple[str, str], Callable[..., list[Notice]]] = {
    ("registry", "application_stage_changed"): application_stage_changed,
    ("registry", "application_due_soon"): _deadline("application_due_soon",
                                                    ApplicationDueSoonV1),
    ("registry", "application_overdue"): _deadline("application_overdue",
                                                   ApplicationOverdueV1),
    ("registry", "society_registered"): society_registered,
    ("documents", "certificate_issued"): certificate_issued,
    ("elections", "election_stage_published"): election_stage_published,
    ("elections", "election_result_declared"): election_result_declared,
    ("elections", "election_expense_inspection_notice"): election_expense_inspection,
    ("filings", "filing_due_soon"): _filing_deadline("filing_due_soon", FilingDueSoonV1),
    ("filings", "filing_overdue"): _filing_deadline("filing_overdue", FilingOverdueV1),
    ("filings", "office_filing_due_soon"): _office_filing_deadline(
        "office_filing_due_soon", OfficeFilingDueSoonV1),
    ("filings", "office_filing_overdue"): _office_filing_deadline(
        "office_filing_overdue", OfficeFilingOverdueV1),
    ("filings", "filing_decided"): filing_decided,
    ("filings", "assistance_decided"): assistance_decided,
    ("filings", "assistance_released"): assistance_released,
    ("filings", "assistance_utilised"): assistance_utilised,
    ("filings", "loan_repayment_recorded"): loan_repayment_recorded,
    ("filings", "audit_reminder"): audit_reminder,
    ("filings", "auditor_empanelled"): auditor_empanelled,
    ("filings", "empanelment_step"): empanelment_step,
    ("filings", "audit_allotted"): audit_allotted,
    ("grievance", "case_opened"): case_opened,
    ("grievance", "case_transitioned"): case_transitioned,
    ("grievance", "case_escalated"): case_escalated,
    ("grievance", "case_hearing_scheduled"): case_hearing_scheduled,
    ("grievance", "case_hearing_reminder"): case_hearing_reminder,
}


def election_members_message(payload: dict) -> list[CreateMassMessageV1]:
    event = StagePublishedV1.model_validate(payload)
    return [CreateMassMessageV1(society_id=event.society_id,
                                template_key="election_stage_published",
                                variables=election_variables(event),
                                channels=["sms", "email"])]


def result_members_message(payload: dict) -> list[CreateMassMessageV1]:
    event = ResultDeclaredV1.model_validate(payload)
    return [CreateMassMessageV1(society_id=event.society_id,
                                template_key="election_result_declared",
                                variables=result_variables(event),
                                channels=["sms", "email"])]


# Facts that call for a mass message to a society's members as well (seed 000: mass
# communication for elections), queued with the notices in the same transaction.
MASS_RULES: dict[tuple[str, str], Callable[[dict], list[CreateMassMessageV1]]] = {
    ("elections", "election_stage_published"): election_members_message,
    ("elections", "election_result_declared"): result_members_message,
}


def mass_messages_for(source: str, event_type: str,
                      payload: dict) -> list[CreateMassMessageV1]:
    rule = MASS_RULES.get((source, event_type))
    return rule(payload) if rule else []


def notices_for(source: str, event_type: str, payload: dict,
                portal_url: str = "") -> list[Notice]:
    """The notices an event calls for (none for a fact no rule cares about)."""
    return RULES[(source, event_type)](payload, portal_url)
