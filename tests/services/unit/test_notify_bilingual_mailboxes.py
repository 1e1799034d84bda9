"""A society's and an office's mailbox have no language of their own: what notify posts
there carries English and Hindi (the subject in both, the body in English then Hindi),
each the version chosen for its language (a jurisdiction's own over the national one);
a person's mailbox, SMS and e-mail stay in the person's language. On an embedded
(SQLite) database, through ``outgoing.apply_notice`` as the event handler calls it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from services.common.contracts.filings import FilingDueSoonV1
from services.common.contracts.filings_assistance import AssistanceReleasedV1
from services.common.contracts.registry import (
    ApplicantV1,
    ApplicationOverdueV1,
    ApplicationStageChangedV1,
)
from services.common.engine import make_engine
from services.notify import models, rules, templates
from services.notify.outgoing import apply_notice

AT = datetime(2026, 12, 8, 6, 30, tzinfo=UTC)
HEADING = "\n\n— हिंदी —\n\n"


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/notify.db")
    models.metadata.create_all(engine)
    return engine


def apply(engine, notice: rules.Notice, event_id: str = "e1") -> None:
    with Session(engine) as session, session.begin():
        apply_notice(session, notice, origin="event", origin_id=event_id, now=AT)


def posted(engine) -> list:
    with Session(engine) as session:
        return session.execute(select(models.mailbox_message)
                               .order_by(models.mailbox_message.c.mailbox_kind)).all()


def sent(engine) -> list:
    with Session(engine) as session:
        return session.execute(select(models.delivery)
                               .order_by(models.delivery.c.channel)).all()


def publish(engine, key: str, jurisdiction: str, language: str, subject: str, body: str,
            sms: str = "-") -> None:
    with Session(engine) as session, session.begin():
        session.execute(insert(models.message_template).values(
            key=key, jurisdiction=jurisdiction, language=language, version=1,
            subject=subject, body=body, sms=sms,
            variables=sorted(templates.BUILTIN_VARIABLES.get(key, {"recipient_name"})),
            created_by="registrar-1", created_at=AT))


def release() -> rules.Notice:
    [notice] = rules.notices_for("filings", "assistance_released", AssistanceReleasedV1(
        application_id="app-1", society_id="s-ml-1",
        society_name="Jaintia Hills Weavers Co-operative Society", kind="share_capital",
        financial_year="2026-27", amount_paise=2_50_000_00, released_on=date(2026, 11, 5),
        reference="RCS/FA/2026/117", released_total_paise=7_50_000_00,
        sanctioned_paise=12_34_567_00, recorded_at=AT).wire(), "https://portal.example/")
    return notice


def test_a_funds_notice_in_the_societys_mailbox_reads_in_english_then_hindi(engine):
    apply(engine, release())
    [message] = posted(engine)
    assert (message.mailbox_kind, message.mailbox_id) == ("society", "s-ml-1")
    assert message.subject == "Financial assistance 2026-27: ₹2,50,000 released / " \
        "वित्तीय सहायता 2026-27: ₹2,50,000 जारी"
    english, hindi = message.body.split(HEADING)
    assert "the Registrar's office released ₹2,50,000 of the share capital contribution" \
        in english
    assert "Released so far: ₹7,50,000 of the ₹12,34,567 sanctioned." in english
    assert "स्वीकृत अंश पूंजी अंशदान में से ₹2,50,000 05-11-2026 को जारी किए" in hindi
    assert "स्वीकृत ₹12,34,567 में से ₹7,50,000" in hindi
    assert not any("\u0900" <= ch <= "\u097f" for ch in english)
    [row] = sent(engine)
    assert (row.channel, row.status, row.language) == ("mailbox", "delivered", "en+hi")
    assert row.subject == message.subject and row.body == message.body


def test_a_redelivered_event_still_posts_one_message(engine):
    apply(engine, release())
    apply(engine, release())
    assert len(posted(engine)) == 1 and len(sent(engine)) == 1


def test_a_return_due_soon_in_the_societys_mailbox_reads_in_both_languages(engine):
    [notice] = rules.notices_for("filings", "filing_due_soon", FilingDueSoonV1(
        form_code="RCS/LQR/01", society_id="s1", society_name="Kaveri Samiti",
        form_title={"en": "Liquidation return", "hi": "परिसमापन विवरणी"},
        period_end=date(2026, 9, 30), due_on=date(2026, 10, 31)).wire())
    apply(engine, notice)
    [message] = posted(engine)
    assert message.subject == "Due soon: Liquidation return / शीघ्र देय: परिसमापन विवरणी"
    assert message.body == (
        "Kaveri Samiti: the Liquidation return for the period ending 30-09-2026 is due by "
        "31-10-2026." + HEADING +
        "Kaveri Samiti: 30-09-2026 को समाप्त अवधि का परिसमापन विवरणी 31-10-2026 तक देय है।")


def overdue() -> rules.Notice:
    [notice] = rules.notices_for("registry", "application_overdue", ApplicationOverdueV1(
        application_id="app-9", kind="registration", stage="scrutiny",
        deadline=datetime(2026, 12, 1, 12, 30, tzinfo=UTC), office_id="mh-pune",
        applicant=ApplicantV1(account_id="acc-1", name="Asha", language="hi")).wire())
    return notice


def test_an_application_overdue_in_the_offices_mailbox_reads_in_both_languages(engine):
    apply(engine, overdue())
    [message] = posted(engine)
    assert (message.mailbox_kind, message.mailbox_id) == ("office", "mh-pune")
    assert message.subject == "Overdue: application app-9 / समय-सीमा पार: आवेदन app-9"
    assert message.body == (
        "The registration application app-9 (scrutiny) passed its deadline of "
        "01 Dec 2026, 18:00 IST." + HEADING +
        "registration आवेदन app-9 (scrutiny) की समय-सीमा 01 Dec 2026, 18:00 IST निकल चुकी है।")


def test_a_jurisdictions_own_version_wins_in_each_language(engine):
    """The office published its own Hindi version: the Hindi half is the office's, the
    English half still the national one (no English version of its own)."""
    publish(engine, "application_overdue", "mh-pune", "hi",
            "विलंब: आवेदन {application_id}",
            "पुणे कार्यालय: आवेदन {application_id} ({stage}) {deadline} से विलंबित।")
    publish(engine, "application_overdue", "mh-nagpur", "en",
            "Nagpur: {application_id}", "Nagpur's own text.")
    apply(engine, overdue())
    [message] = posted(engine)
    assert message.subject == "Overdue: application app-9 / विलंब: आवेदन app-9"
    english, hindi = message.body.split(HEADING)
    assert english.startswith("The registration application app-9 (scrutiny) passed")
    assert hindi == "पुणे कार्यालय: आवेदन app-9 (scrutiny) 01 Dec 2026, 18:00 IST से विलंबित।"


def test_a_template_with_no_hindi_version_is_posted_once_in_english(engine):
    publish(engine, "office_circular", "national", "en", "Circular", "Read the circular.")
    notice = rules.Notice("office_circular", "notice",
                          rules.Recipient(id="office-mp", mailbox=("office", "mp")),
                          ("mailbox",), {})
    apply(engine, notice)
    [message] = posted(engine)
    assert (message.subject, message.body) == ("Circular", "Read the circular.")
    assert sent(engine)[0].language == "en"


def test_a_persons_mailbox_email_and_sms_stay_in_their_language(engine):
    [notice] = rules.notices_for("registry", "application_stage_changed",
                                 ApplicationStageChangedV1(
        application_id="a1", kind="registration", stage="approved",
        previous_stage="scrutiny", society_id=None, office_id="mp",
        applicant=ApplicantV1(account_id="acc", name="Asha", email="asha@example.org",
                              phone="98123 45678", language="hi"),
        reason=None, hearing=None, at=AT).wire())
    apply(engine, notice)
    [message] = posted(engine)
    assert (message.mailbox_kind, message.subject) == ("user", "आवेदन a1 स्वीकृत")
    assert "Dear" not in message.body and "— हिंदी —" not in message.body
    rows = {row.channel: row for row in sent(engine)}
    assert {channel: row.language for channel, row in rows.items()} == {
        "email": "hi", "mailbox": "hi", "sms": "hi"}
    assert rows["email"].subject == "आवेदन a1 स्वीकृत"
    assert rows["sms"].body == "आपका registration आवेदन a1 स्वीकृत हो गया है।"


def test_both_subjects_fit_the_column_keeping_some_of_each_language():
    assert templates.both_subjects("Same", "Same") == "Same"
    short = templates.both_subjects("Notice", "सूचना " * 100)
    assert len(short) == 300 and short.startswith("Notice / सूचना") and short.endswith("…")
    long = templates.both_subjects("Notice " * 60, "सूचना " * 60)
    english, hindi = long.split(" / ")
    assert len(long) == 300 and english.endswith("…") and hindi.endswith("…")
    assert len(english) == 148 and hindi.startswith("सूचना")
