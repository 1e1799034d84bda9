"""The Returning Officer's checklist (Annexure VI of the order), live.

Each of its 21 items is either read from the records (a publication, the scrutiny, Form
19M sent, a declaration, the remuneration claims) or, where the platform cannot see it (a
meeting with the society's CEO, a newspaper notice, an email to the CEA), recorded by the
RO with the day it was done (item 19, the RO chairing the office bearers' meeting, is
also done by the meeting as recorded with the RO in the chair). An item tied to a stage
of the programme is due by the end of that stage's window: open until then, overdue
after it while not done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts import elections_accounts as contracts
from services.common.errors import Conflict, InvalidInput
from services.common.india import INDIA, day_text
from services.elections.orders import orders
from services.elections.tables import (
    checklist_entry,
    declaration,
    nomination,
    ob_meeting,
    remuneration_claim,
    result_form,
)


@dataclass(frozen=True)
class Item:
    number: int
    title: str
    title_hi: str
    rule: str | None
    # "recorded" (the RO vouches for it), or where the records show it done:
    # "stage:<code>", "scrutiny", "form:19M", "declared:board", "remuneration".
    source: str
    due_stage: str | None   # due by the end of this stage's window
    # A "recorded" item the records may show done too (the RO's own day comes first).
    also: str | None = None


ITEMS: tuple[Item, ...] = (
    Item(1, "Meeting with the Secretary/CEO of the society",
         "समिति के सचिव/मुख्य कार्यपालक अधिकारी के साथ बैठक", "19H(8)", "recorded",
         "provisional_list"),
    Item(2, "Issue of the election notice under the Returning Officer's signature",
         "निर्वाचन अधिकारी के हस्ताक्षर से निर्वाचन सूचना जारी करना", None, "recorded",
         "provisional_list"),
    Item(3, "Publication of the election programme on the society's website",
         "समिति की वेबसाइट पर निर्वाचन कार्यक्रम का प्रकाशन", None, "recorded",
         "provisional_list"),
    Item(4, "Publication of the draft voter list on the society's website",
         "समिति की वेबसाइट पर प्रारूप मतदाता सूची का प्रकाशन", None,
         "stage:provisional_list", "provisional_list"),
    Item(5, "Proposal for the appointment of AROs sent to the CEA",
         "सहायक निर्वाचन अधिकारियों की नियुक्ति का प्रस्ताव प्राधिकरण को भेजना", None,
         "recorded", "nominations"),
    Item(6, "Publication of the election notice in a newspaper of the area of operation",
         "कार्यक्षेत्र के समाचार पत्र में निर्वाचन सूचना का प्रकाशन", "19I(3)", "recorded",
         "nominations"),
    Item(7, "Publication of the list of nomination forms received",
         "प्राप्त नामांकन पत्रों की सूची का प्रकाशन", None, "stage:nomination_display",
         "nomination_display"),
    Item(8, "Newspaper cutting of the election notice sent to the CEA",
         "निर्वाचन सूचना की समाचार पत्र कतरन प्राधिकरण को भेजना", None, "recorded",
         "nomination_display"),
    Item(9, "Scrutiny of nomination papers by the Returning Officer",
         "निर्वाचन अधिकारी द्वारा नामांकन पत्रों की संवीक्षा", "19L", "scrutiny",
         "nomination_scrutiny"),
    Item(10, "Publication of the list of valid nominations",
         "वैध नामांकनों की सूची का प्रकाशन", "19L(1)(e)", "stage:valid_nominations",
         "valid_nominations"),
    Item(11, "Publication of the list of withdrawals on the website",
         "नाम वापसी की सूची का वेबसाइट पर प्रकाशन", None, "recorded", "contesting_list"),
    Item(12, "Publication of the list of rejections on the website",
         "अस्वीकृत नामांकनों की सूची का वेबसाइट पर प्रकाशन", None, "recorded",
         "contesting_list"),
    Item(13, "Publication of the final list of candidates under the RO's signature",
         "निर्वाचन अधिकारी के हस्ताक्षर से उम्मीदवारों की अंतिम सूची का प्रकाशन", None,
         "stage:contesting_list", "contesting_list"),
    Item(14, "List of candidates (filed, rejected with reasons, withdrawn, valid) sent "
             "to the CEA",
         "उम्मीदवारों की सूची (दाखिल, कारण सहित अस्वीकृत, वापस, वैध) प्राधिकरण को भेजना",
         None, "stage:contesting_list", "contesting_list"),
    Item(15, "Ballot papers printed and logistics arranged for the polling stations",
         "मतपत्रों की छपाई और मतदान केंद्रों के लिए व्यवस्था", None, "recorded", "poll"),
    Item(16, "Form 19M with the detailed report sent to the CEA for prior approval",
         "पूर्व अनुमोदन हेतु विस्तृत रिपोर्ट सहित प्ररूप 19M प्राधिकरण को भेजना", "19M",
         "form:19M", "form_19m"),
    Item(17, "Proceedings of the board's result issued after the CEA's approval",
         "प्राधिकरण के अनुमोदन के बाद निदेशक मंडल के परिणाम की कार्यवाही जारी करना", None,
         "declared:board", "board_declaration"),
    Item(18, "Basic pay of the RO/AROs and the polling officers' names sent to the CEA for "
             "remuneration",
         "पारिश्रमिक हेतु निर्वाचन अधिकारी/सहायक निर्वाचन अधिकारियों का मूल वेतन और मतदान "
         "अधिकारियों के नाम प्राधिकरण को भेजना", None, "remuneration", None),
    Item(19, "Meeting for the election of the office bearers chaired by the RO in person",
         "पदाधिकारियों के निर्वाचन हेतु बैठक की अध्यक्षता निर्वाचन अधिकारी द्वारा स्वयं",
         "19N(2)", "recorded", "ob_meeting", also="meeting:chaired_by_ro"),
    Item(20, "Form 19N with the detailed report sent to the CEA for prior approval",
         "पूर्व अनुमोदन हेतु विस्तृत रिपोर्ट सहित प्ररूप 19N प्राधिकरण को भेजना", "19N",
         "form:19N", "form_19n"),
    Item(21, "Declaration of the office bearers' result",
         "पदाधिकारियों के परिणाम की घोषणा", "19N(6)", "declared:office_bearer",
         "ob_declaration"),
)
BY_NUMBER = {i.number: i for i in ITEMS}


def _day(at: datetime | None) -> date | None:
    return None if at is None else at.astimezone(INDIA).date()


def _from_records(session: Session, election_id: str) -> dict[str, date | None]:
    """When the records show each kind of source done (None: not yet)."""
    found: dict[str, date | None] = {
        f"stage:{stage}": _day(at) for stage, at in
        orders.done_marks(session, election_id).items()}
    pending, decided = session.execute(select(
        func.count().filter(nomination.c.status == "filed"),
        func.max(nomination.c.decided_at)).where(
        nomination.c.election_id == election_id, nomination.c.contest == "board")).one()
    found["scrutiny"] = _day(decided) if pending == 0 and decided else None
    for form, at in session.execute(select(result_form.c.form, func.min(
            result_form.c.submitted_at)).where(result_form.c.election_id == election_id)
            .group_by(result_form.c.form)):
        found[f"form:{form}"] = _day(at)
    for contest, at in session.execute(select(declaration.c.contest, declaration.c.declared_at)
                                       .where(declaration.c.election_id == election_id)):
        found[f"declared:{contest}"] = _day(at)
    meeting = session.execute(select(ob_meeting.c.meeting_at).where(
        ob_meeting.c.election_id == election_id,
        ob_meeting.c.chaired_by_ro.is_(True))).scalar()
    found["meeting:chaired_by_ro"] = _day(meeting)
    found["remuneration"] = _day(session.execute(select(func.min(
        remuneration_claim.c.claimed_at)).where(
        remuneration_claim.c.election_id == election_id)).scalar())
    return found


def checklist(session: Session, election_id: str, at: datetime) -> dict:
    records = _from_records(session, election_id)
    recorded = {r.item: r for r in session.execute(select(checklist_entry).where(
        checklist_entry.c.election_id == election_id))}
    windows = orders.windows(session, election_id)
    today = at.astimezone(INDIA).date()
    items = []
    for item in ITEMS:
        entry = recorded.get(item.number)
        done_on = entry.done_on if entry else (
            records.get(item.source) or records.get(item.also or ""))
        due_by = windows[item.due_stage].ends_on if item.due_stage in windows else None
        if done_on is not None:
            state = "done"
        elif due_by is not None and today > due_by:
            state = "overdue"
        elif due_by is not None and today >= windows[item.due_stage].starts_on:
            state = "open"
        else:
            state = "pending"
        items.append(contracts.ChecklistItemV1(
            item=item.number, title=item.title, title_hi=item.title_hi, rule=item.rule,
            source="recorded" if item.source == "recorded" else "platform", status=state,
            done_on=done_on, due_by=due_by, note=entry.note if entry else None))
    return contracts.ChecklistV1(
        election_id=election_id, items=items,
        done=sum(i.status == "done" for i in items),
        overdue=sum(i.status == "overdue" for i in items)).wire()


def record(session: Session, ctx: CallContext, row: Any,
           command: contracts.ChecklistRecordInV1, at: datetime) -> dict:
    item = BY_NUMBER[command.item]
    if item.source != "recorded":
        raise Conflict(f"Item {item.number} ({item.title}) is read from the platform's "
                       "records; it is done when they show it.",
                       {"item": item.number, "source": item.source})
    today = at.astimezone(INDIA).date()
    if not row.order_date <= command.done_on <= today:
        raise InvalidInput("An item is done between the order's date and today.",
                           fields={"done_on": f"between {day_text(row.order_date)} and "
                                              f"{day_text(today)}"})
    if session.execute(select(checklist_entry.c.item).where(
            checklist_entry.c.election_id == row.id,
            checklist_entry.c.item == item.number)).first():
        raise Conflict(f"Item {item.number} was already recorded as done.",
                       {"item": item.number})
    session.execute(checklist_entry.insert().values(
        election_id=row.id, item=item.number, done_on=command.done_on, note=command.note,
        recorded_by=ctx.actor_id, recorded_at=at))
    return checklist(session, row.id, at)
