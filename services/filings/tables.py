"""Every table of the filings service, on one metadata: form definitions (one row per
code, jurisdiction and version, never changed once stored), filings (one per form, filer
and period, carrying the version it was made on) and each submission of a filing (the
earlier ones kept when it is returned and resubmitted).

Ids of filings are UUID strings; times are UTC; periods and due dates are India dates."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from services.filings.models import metadata

_tz = DateTime(timezone=True)

form_definition = Table(
    "form_definition", metadata,
    Column("code", String(40), primary_key=True),
    Column("jurisdiction", String(60), primary_key=True),     # a state, or "national"
    Column("version", Integer, primary_key=True),
    Column("filer", String(16), nullable=False),              # society | office
    Column("title", JSON, nullable=False),                    # {"en", "hi"}
    Column("definition", JSON, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", _tz, nullable=False),
)

# status: draft -> submitted -> accepted | returned -> (resubmitted) submitted ...
filing = Table(
    "filing", metadata,
    Column("id", String(36), primary_key=True),
    Column("form_code", String(40), nullable=False),
    Column("jurisdiction", String(60), nullable=False),
    Column("form_version", Integer, nullable=False),
    Column("filer_kind", String(16), nullable=False),
    Column("filer_id", String(64), nullable=False),           # society or office id
    Column("filer_name", String(300), nullable=False),
    Column("state", String(60), nullable=True),
    Column("district", String(100), nullable=True),
    Column("society_type", String(64), nullable=True),
    Column("office_chain", JSON, nullable=False),             # the filer's office upwards
    Column("period_end", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("data", JSON, nullable=False),
    Column("submissions", Integer, nullable=False),
    Column("ack_number", String(40), nullable=True),
    Column("submitted_at", _tz, nullable=True),
    Column("late", Boolean, nullable=False),
    Column("days_late", Integer, nullable=False),
    Column("remarks", Text, nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", _tz, nullable=False),
    Column("updated_at", _tz, nullable=False),
    UniqueConstraint("form_code", "filer_id", "period_end", name="uq_filing_period"),
    Index("ix_filing_filer", "filer_id", "form_code"),
    Index("ix_filing_status", "status"),
)

filing_submission = Table(
    "filing_submission", metadata,
    Column("filing_id", String(36), ForeignKey("filing.id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("data", JSON, nullable=False),
    Column("ack_number", String(40), nullable=False, unique=True),
    Column("submitted_at", _tz, nullable=False),
    Column("submitted_by", String(64), nullable=False),
    Column("late", Boolean, nullable=False),
    Column("outcome", String(16), nullable=True),             # accepted | returned
    Column("remarks", Text, nullable=True),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", _tz, nullable=True),
)

# The societies the service knows (from the registry's society_registered events): whose
# returns are due, and which office's compliance view they fall in.
society_roster = Table(
    "society_roster", metadata,
    Column("society_id", String(64), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("registration_number", String(64), nullable=False),
    Column("registration_date", Date, nullable=False),
    Column("type", String(64), nullable=False),
    Column("state", String(60), nullable=False),
    Column("district", String(100), nullable=True),
    Column("office_chain", JSON, nullable=False),
    Column("enrolled_at", _tz, nullable=False),
    # The good standing last published for the society (None: not yet computed) and what
    # it rested on (the overdue returns and the audit category, without day counts), so an
    # event goes out only when one of those changes.
    Column("good_standing", Boolean, nullable=True),
    Column("standing_basis", JSON, nullable=True),
    Index("ix_society_roster_place", "state", "district", "type"),
)

# The compliance view's tables, one row per society (or filed return) and office that
# reaches it: every office in the society's chain, and "*" for national staff. Each row
# carries the roster's place, type, name and registration date, so an office's view of
# 850,000 societies is a range of one index: counted without a join, a page read in
# order. Kept by services/filings/compliance/filed.py (and enrolment) in the transaction
# that changes the roster or a return.
REACH_NATIONAL = "*"
roster_office = Table(
    "roster_office", metadata,
    Column("office_id", String(64), primary_key=True),
    Column("society_id", String(64), ForeignKey("society_roster.society_id"),
           primary_key=True),
    Column("state", String(60), nullable=False),
    Column("district", String(100), nullable=True),
    Column("type", String(64), nullable=False),
    Column("name", String(300), nullable=False),
    Column("registration_date", Date, nullable=False),
    Index("ix_roster_office_owed", "office_id", "state", "district", "type",
          "registration_date"),
    Index("ix_roster_office_listing", "office_id", "state", "district", "name", "society_id"),
)

# Each filed return (submitted or accepted) of a roster society, once per office that
# reaches the society (as in roster_office), with the days it was late.
filed_return = Table(
    "filed_return", metadata,
    Column("office_id", String(64), primary_key=True),
    Column("form_code", String(40), primary_key=True),
    Column("period_end", Date, primary_key=True),
    Column("society_id", String(64), primary_key=True),
    Column("state", String(60), nullable=False),
    Column("district", String(100), nullable=True),
    Column("type", String(64), nullable=False),
    Column("registration_date", Date, nullable=False),
    Column("days_late", Integer, nullable=False),
    Index("ix_filed_return_count", "office_id", "form_code", "period_end", "state",
          "district", "type", "registration_date", "days_late"),
    Index("ix_filed_return_society", "society_id"),
)

# Each due-soon / overdue reminder sent, so that each goes out once.
due_reminder = Table(
    "due_reminder", metadata,
    Column("form_code", String(40), primary_key=True),
    Column("society_id", String(64), primary_key=True),
    Column("period_end", Date, primary_key=True),
    Column("kind", String(16), primary_key=True),             # due_soon | overdue
    Column("sent_at", _tz, nullable=False),
)

# The registry's offices as the due-date scan last read them (``registry.list_offices``):
# who owes the returns an office files.
office_roster = Table(
    "office_roster", metadata,
    Column("office_id", String(64), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("level", String(16), nullable=False),              # national | state | district
    Column("state", String(60), nullable=True),
    Column("district", String(100), nullable=True),
    Column("read_at", _tz, nullable=False),
)

# Each due-soon / overdue reminder of an office's own return sent, so each goes out once.
office_due_reminder = Table(
    "office_due_reminder", metadata,
    Column("form_code", String(40), primary_key=True),
    Column("office_id", String(64), primary_key=True),
    Column("period_end", Date, primary_key=True),
    Column("kind", String(16), primary_key=True),             # due_soon | overdue
    Column("sent_at", _tz, nullable=False),
)

# The scans run once a day (services/filings/compliance/audit_pending.py): the first
# replica to claim the day runs it.
daily_scan = Table(
    "daily_scan", metadata,
    Column("scan", String(40), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("at", _tz, nullable=False),
)

# A society's audit of one financial year ("2024-25"), as the office records it.
audit_record = Table(
    "audit_record", metadata,
    Column("society_id", String(64), primary_key=True),
    Column("financial_year", String(7), primary_key=True),
    Column("audited_on", Date, nullable=False),
    Column("auditor_name", String(200), nullable=False),
    Column("report_document_id", String(64), nullable=True),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", _tz, nullable=False),
)


# A society's application for financial assistance (seed 004): one per society, kind and
# financial year; the eligibility evaluated at submission kept with it. status: submitted
# -> recommended | not_recommended (the District Level Committee) -> forwarded ->
# sanctioned | rejected (the Registrar); a state-level society's goes to the Registrar
# directly (submitted -> sanctioned | rejected). Amounts in integer paise.
assistance_application = Table(
    "assistance_application", metadata,
    Column("id", String(36), primary_key=True),
    Column("society_id", String(64), nullable=False),
    Column("society_name", String(300), nullable=False),
    Column("state", String(60), nullable=False),
    Column("district", String(100), nullable=True),
    Column("level", String(8), nullable=False),                 # state | primary
    Column("office_chain", JSON, nullable=False),
    Column("district_office_id", String(64), nullable=True),   # the committee's office
    Column("state_office_id", String(64), nullable=False),     # the Registrar's
    Column("kind", String(16), nullable=False),
    Column("financial_year", String(7), nullable=False),
    Column("amount_asked_paise", BigInteger, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("documents", JSON, nullable=False),
    Column("figures", JSON, nullable=False),
    Column("eligibility", JSON, nullable=False),
    Column("eligible", Boolean, nullable=False),
    Column("status", String(16), nullable=False),
    Column("submitted_on", Date, nullable=False),              # India date
    Column("submitted_at", _tz, nullable=False),
    Column("submitted_by", String(64), nullable=False),
    Column("amount_recommended_paise", BigInteger, nullable=True),
    Column("amount_sanctioned_paise", BigInteger, nullable=True),
    Column("order_reference", String(80), nullable=True),
    Column("order_date", Date, nullable=True),
    Column("steps", JSON, nullable=False),                     # [{step, by, at, ...}]
    Column("updated_at", _tz, nullable=False),
    # a loan's repayment schedule as sanctioned: [{"due_on": "2027-03-31",
    # "principal_paise": 2500000}], oldest first; None when the sanction gives none
    Column("repayment_schedule", JSON, nullable=True),
    UniqueConstraint("society_id", "kind", "financial_year", name="uq_assistance_year"),
    Index("ix_assistance_state_year", "state", "financial_year", "status"),
)

# What follows a sanction, one row per record, never changed: a release of sanctioned
# funds by the Registrar's office (``release``: the amount, the day, the release order),
# the society's utilisation certificate (``utilisation``: the amount utilised, the
# certificate's date and document id) and, for a loan, each repayment the office receives
# (``repayment``: principal in ``amount_paise``, interest apart). ``on_date`` is the
# India day of the release, the certificate or the payment.
assistance_funds_entry = Table(
    "assistance_funds_entry", metadata,
    Column("id", String(36), primary_key=True),
    Column("application_id", String(36),
           ForeignKey("assistance_application.id"), nullable=False),
    Column("society_id", String(64), nullable=False),
    Column("entry", String(12), nullable=False),        # release | utilisation | repayment
    Column("on_date", Date, nullable=False),
    Column("amount_paise", BigInteger, nullable=False),
    Column("interest_paise", BigInteger, nullable=False, server_default=text("0")),
    Column("reference", String(80), nullable=True),
    Column("document_id", String(64), nullable=True),
    Column("remarks", Text, nullable=True),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", _tz, nullable=False),
    Index("ix_assistance_funds_application", "application_id", "entry", "on_date"),
    Index("ix_assistance_funds_society", "society_id"),
)


# An auditor's application to be empanelled for one financial year (seed 001), and once
# approved their empanelment, valid to its 31 March. status: submitted -> queried ->
# (reply) submitted ... -> empanelled | rejected; empanelled -> suspended. One per ICAI
# membership number and year; the year after an empanelment is its renewal.
auditor_empanelment = Table(
    "auditor_empanelment", metadata,
    Column("id", String(36), primary_key=True),
    Column("financial_year", String(7), nullable=False),
    Column("office_id", String(64), nullable=False),          # the office keeping the panel
    Column("office_chain", JSON, nullable=False),             # that office upwards
    Column("applicant_id", String(64), nullable=False),       # the auditor's actor id
    Column("name", String(200), nullable=False),
    Column("firm_name", String(200), nullable=True),
    Column("membership_number", String(6), nullable=False),
    Column("frn", String(7), nullable=True),
    Column("email", String(254), nullable=False),
    Column("phone", String(14), nullable=False),
    Column("qualifications", JSON, nullable=False),
    Column("certificate_document_ids", JSON, nullable=False),
    Column("states", JSON, nullable=False),
    Column("districts", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("renewal_of", String(36), nullable=True),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("steps", JSON, nullable=False),                    # [{step, by, at, text, ...}]
    Column("submitted_at", _tz, nullable=False),
    Column("updated_at", _tz, nullable=False),
    UniqueConstraint("membership_number", "financial_year", name="uq_empanelment_year"),
    Index("ix_empanelment_applicant", "applicant_id"),
)

# A society's audit of one financial year allotted to an empanelled auditor. A
# reallotment marks the allotment before it replaced (kept); one current per year.
audit_allotment = Table(
    "audit_allotment", metadata,
    Column("id", String(36), primary_key=True),
    Column("society_id", String(64), nullable=False),
    Column("society_name", String(300), nullable=False),
    Column("office_chain", JSON, nullable=False),             # the society's office upwards
    Column("financial_year", String(7), nullable=False),
    Column("empanelment_id", String(36), ForeignKey("auditor_empanelment.id"),
           nullable=False),
    Column("auditor_id", String(64), nullable=False),
    Column("auditor_name", String(200), nullable=False),
    Column("membership_number", String(6), nullable=False),
    Column("status", String(16), nullable=False),             # allotted | audited | replaced
    Column("reasons", Text, nullable=True),
    Column("allotted_by", String(64), nullable=False),
    Column("allotted_at", _tz, nullable=False),
    Column("audited_on", Date, nullable=True),
    Column("replaced_at", _tz, nullable=True),
    Column("replaced_reasons", Text, nullable=True),
    Index("ix_allotment_society_year", "society_id", "financial_year"),
    Index("ix_allotment_auditor", "auditor_id"),
    Index("uq_allotment_current", "society_id", "financial_year", unique=True,
          postgresql_where=text("status <> 'replaced'"),
          sqlite_where=text("status <> 'replaced'")),
)

# Each audit reminder sent (number 1 in April ... 6 in September), so each goes out once.
audit_reminder = Table(
    "audit_reminder", metadata,
    Column("society_id", String(64), primary_key=True),
    Column("financial_year", String(7), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("sent_at", _tz, nullable=False),
)
