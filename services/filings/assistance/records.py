"""What the platform holds about a society that the eligibility rules read: its accepted
annual returns by financial year, its audit status from the audits recorded here, and the
assistance this service sanctioned it, by financial year and kind, with what followed each
sanction (releases, utilisation certificates, a loan's repayments and schedule).

Read once per evaluation (a few rows per society); the eligibility rules take the figures
from here (``eligibility.evaluate``), each with its source: which return (form, period,
acknowledgement) or the audit status (as on the day, the years pending)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.errors import NotFound
from services.filings.audits import status as audit_status
from services.filings.forms import periods
from services.filings.returns import definitions
from services.filings.tables import assistance_application, assistance_funds_entry, filing


def year_of(period_end: date) -> str:
    """The financial year a return for the year ended ``period_end`` (31 March) covers."""
    return audit_status.year_name(period_end.year)


def year_end(financial_year: str) -> date:
    return date(int(financial_year[:4]) + 1, 3, 31)


def years_back(financial_year: str, count: int) -> str:
    return audit_status.year_name(int(financial_year[:4]) + 1 - count)


def last_ended_year(day: date) -> str:
    """The latest financial year (April to March) ended on or before ``day``."""
    return audit_status.year_name(day.year if day >= date(day.year, 3, 31) else day.year - 1)


@dataclass(frozen=True)
class Return:
    form_code: str
    period_end: date
    filing_id: str
    ack_number: str | None
    data: dict

    def value(self, name: str) -> Decimal | None:
        """A field of the return as an exact decimal; None when blank or not a number."""
        raw = self.data.get(name)
        if raw is None or raw == "":
            return None
        try:
            number = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            return None
        return number if number.is_finite() else None

    def source(self) -> dict:
        return {"source": "return", "form_code": self.form_code,
                "financial_year": year_of(self.period_end),
                "period_end": self.period_end.isoformat(), "filing_id": self.filing_id,
                "ack_number": self.ack_number}


@dataclass(frozen=True)
class FundsEntry:
    """A release, a utilisation certificate or a repayment (principal in ``amount``)."""

    id: str
    entry: str
    on_date: date
    amount_paise: int
    interest_paise: int
    document_id: str | None
    reference: str | None

    def wire(self) -> dict:
        return {"id": self.id, "on_date": self.on_date.isoformat(),
                "amount_paise": self.amount_paise,
                **({"document_id": self.document_id} if self.document_id else {}),
                **({"reference": self.reference} if self.reference else {})}


@dataclass(frozen=True)
class Sanction:
    application_id: str
    kind: str
    financial_year: str
    amount_paise: int
    order_reference: str | None
    order_date: date | None
    # what followed it on the platform, up to the evaluation's day (funds.py)
    entries: tuple[FundsEntry, ...] = ()
    schedule: tuple[dict, ...] | None = None     # a loan's instalments as sanctioned

    def of(self, entry: str) -> list[FundsEntry]:
        return [e for e in self.entries if e.entry == entry]


@dataclass
class Records:
    society_id: str
    as_on: date
    returns: dict[str, Return] = field(default_factory=dict)   # by financial year
    audit: dict = field(default_factory=dict)                  # audits.status.status_of
    sanctions: list[Sanction] = field(default_factory=list)
    # each year's annual return due date (from the form's due rule), by financial year
    due_on: dict[str, date] = field(default_factory=dict)

    def latest_return(self) -> Return | None:
        return self.returns[max(self.returns)] if self.returns else None

    def return_due(self, financial_year: str) -> bool:
        """Whether the year's annual return has fallen due by the evaluation's day."""
        due = self.due_on.get(financial_year)
        return due is None or due <= self.as_on

    def sanctioned(self, kind: str, financial_year: str) -> list[Sanction]:
        return [s for s in self.sanctions
                if s.kind == kind and s.financial_year == financial_year]


def read(session: Session, society: Any, forms: tuple[str, ...], as_on: date,
         exclude_application: str | None = None) -> Records:
    """The society's records as on ``as_on``: its accepted returns of ``forms`` (the
    first form listed wins a year two forms cover), its audit status, and the sanctions
    of this service (an application being evaluated again left out)."""
    records = Records(society.society_id, as_on)
    rows = session.execute(
        select(filing.c.id, filing.c.form_code, filing.c.period_end, filing.c.ack_number,
               filing.c.data)
        .where(filing.c.filer_kind == "society", filing.c.filer_id == society.society_id,
               filing.c.form_code.in_(forms), filing.c.status == "accepted",
               filing.c.period_end <= as_on)).all()
    for row in sorted(rows, key=lambda r: forms.index(r.form_code), reverse=True):
        if (row.period_end.month, row.period_end.day) != (3, 31):
            continue
        records.returns[year_of(row.period_end)] = Return(
            row.form_code, row.period_end, row.id, row.ack_number, dict(row.data or {}))
    records.audit = audit_status.status_of(
        society, audit_status.audited_years(session, society.society_id), as_on)
    table = assistance_application
    stmt = select(table.c.id, table.c.kind, table.c.financial_year,
                  table.c.amount_sanctioned_paise, table.c.order_reference,
                  table.c.order_date, table.c.repayment_schedule).where(
        table.c.society_id == society.society_id, table.c.status == "sanctioned")
    if exclude_application:
        stmt = stmt.where(table.c.id != exclude_application)
    sanctioned = list(session.execute(stmt))
    # the releases, utilisation certificates and repayments recorded by the day
    funds = assistance_funds_entry
    by_application: dict[str, list[FundsEntry]] = {}
    if sanctioned:
        for r in session.execute(
                select(funds.c.id, funds.c.application_id, funds.c.entry,
                       funds.c.on_date, funds.c.amount_paise, funds.c.interest_paise,
                       funds.c.document_id, funds.c.reference)
                .where(funds.c.society_id == society.society_id,
                       funds.c.application_id.in_([s.id for s in sanctioned]),
                       funds.c.on_date <= as_on)
                .order_by(funds.c.on_date, funds.c.recorded_at, funds.c.id)):
            by_application.setdefault(r.application_id, []).append(FundsEntry(
                r.id, r.entry, r.on_date, r.amount_paise, r.interest_paise,
                r.document_id, r.reference))
    records.sanctions = [Sanction(r.id, r.kind, r.financial_year,
                                  r.amount_sanctioned_paise or 0, r.order_reference,
                                  r.order_date, tuple(by_application.get(r.id, ())),
                                  tuple(r.repayment_schedule) if r.repayment_schedule
                                  else None) for r in sanctioned]
    # the annual return's due day for the years around the evaluation (the first form's
    # version for the society's state, else the national one)
    try:
        form = definitions.current_for(session, forms[0], society.state)
    except NotFound:
        form = None
    if form is not None:
        last = last_ended_year(as_on)
        for back in range(0, 12):
            year = years_back(last, back)
            records.due_on[year] = periods.due_on(form, year_end(year))
    return records
