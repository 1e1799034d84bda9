"""RPC entrypoints of form definitions and filings (a mixin of FilingsService)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from services.common.contracts import filings as contracts
from services.common.contracts.base import Contract
from services.common.errors import InvalidInput, NotFound
from services.common.rpc import rpc
from services.common.validation import parse
from services.filings import scopes
from services.filings.compliance import standing
from services.filings.returns import definitions, export, filings, prefill


class FormQuery(Contract):
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class FormRef(Contract):
    code: contracts.FormCode
    jurisdiction: Annotated[str, StringConstraints(min_length=2, max_length=60)] = "national"
    version: int | None = Field(None, ge=1)


class ReturnEntrypoints:
    # ------------------------------------------------------------------ definitions
    @rpc
    def publish_form(self, payload):
        """A new form, or a new version of one, as data; refused when any rule cannot be
        parsed or names a field the form does not have."""
        command = parse(contracts.PublishDefinitionV1, payload)
        scopes.ensure_publisher(self.caller)

        def apply(uow, now):
            answer = definitions.publish(uow.session, command.definition,
                                         uow.ctx.actor_id or "system", now)
            return answer, [], ("form_published", "form_definition",
                                f"{answer['code']}@{answer['jurisdiction']}#{answer['version']}",
                                {"title": answer["title"]["en"]})

        return self._write(payload, apply)

    @rpc
    def list_forms(self, payload):
        query = parse(FormQuery, payload or {})
        with self.db.read() as session:
            return definitions.listing(session, query.limit, query.offset)

    @rpc
    def get_form(self, payload):
        ref = parse(FormRef, payload)
        with self.db.read() as session:
            return definitions.definition(session, ref.code, ref.jurisdiction, ref.version)

    # ---------------------------------------------------------------------- filings
    def _filer(self, kind: str, filer_id: str) -> dict:
        """The filer as the registry knows it, with its office and those above it."""
        if kind == "society":
            society = self.registry.get_public_society(payload={"society_id": filer_id})
            chain = self.registry.society_offices(payload={"society_id": filer_id})
            return {"name": society["name"], "state": society.get("state"),
                    "district": society.get("district"), "type": society.get("type"),
                    "office_chain": chain["office_ids"]}
        office = self.registry.get_office(payload={"office_id": filer_id})
        chain, parent = [office["id"]], office.get("parent_id")
        while parent and parent not in chain and len(chain) < 12:
            above = self.registry.get_office(payload={"office_id": parent})
            chain.append(above["id"])
            parent = above.get("parent_id")
        return {"name": office["name"], "state": office.get("state"),
                "district": office.get("district"), "type": None, "office_chain": chain}

    @rpc
    def start_filing(self, payload):
        """A draft return for one filer and period, on the form's current version for
        the filer's state (or the national one)."""
        command = parse(contracts.StartFilingV1, payload)
        if command.filer_kind == "society" and not scopes.may_file(
                self.caller, "society", command.filer_id, []) \
                and not scopes.is_national_staff(self.caller):
            raise NotFound("No such society.", {"society_id": command.filer_id})
        filer = self._filer(command.filer_kind, command.filer_id)
        if not scopes.may_file(self.caller, command.filer_kind, command.filer_id,
                               filer["office_chain"]):
            raise NotFound(f"No such {command.filer_kind}.", {"filer_id": command.filer_id})
        command = self._prefilled(command, filer)

        def apply(uow, now):
            filing_id = filings.start(uow.session, uow.ctx, command, filer, now)
            row = filings.row_of(uow.session, filing_id)
            return filings.filing_dict(uow.session, row), [], (
                "filing_started", "filing", filing_id,
                {"form_code": row.form_code, "form_version": row.form_version,
                 "filer_id": row.filer_id, "period_end": row.period_end.isoformat()})

        return self._write(payload, apply)

    def _prefilled(self, command, filer: dict):
        """The command with what the platform knows added (the filer's values win)."""
        with self.db.read() as session:
            form = definitions.current_for(session, command.form_code, filer.get("state"))
        spec = form.raw.get("prefill")
        if not spec or form.filer != command.filer_kind \
                or not prefill.periods.is_period_end(form, command.period_end):
            return command
        answer = self.registry.liquidation_return(payload={
            "office_id": command.filer_id if command.filer_kind == "office" else None,
            "period_from": prefill.period_start(form, command.period_end).isoformat(),
            "period_to": command.period_end.isoformat()})
        known = prefill.values_from(form, answer)
        return command.model_copy(update={"values": {**known, **command.values}})

    @rpc
    def save_draft(self, payload):
        """Some of the values, checked by type only (the rest can follow later)."""
        command = parse(contracts.SaveDraftV1, payload)

        def apply(uow, now):
            row = filings.row_of(uow.session, command.filing_id)
            scopes.ensure_filer(uow.ctx, row)
            changed = filings.save_draft(uow.session, row, command.values, now)
            row = filings.row_of(uow.session, command.filing_id)
            return filings.filing_dict(uow.session, row), [], (
                "filing_draft_saved", "filing", row.id, {"fields": changed})

        return self._write(payload, apply)

    @rpc
    def submit_filing(self, payload):
        """Every rule checked; a 422 lists each failed rule with its figures."""
        command = parse(contracts.FilingRefV1, payload)

        def apply(uow, now):
            row = filings.row_of(uow.session, command.filing_id)
            scopes.ensure_filer(uow.ctx, row)
            done = filings.submit(uow.session, uow.ctx, row, now)
            row = filings.row_of(uow.session, command.filing_id)
            event = contracts.FilingSubmittedV1(
                filing_id=row.id, form_code=row.form_code, filer_kind=row.filer_kind,
                filer_id=row.filer_id, filer_name=row.filer_name, period_end=row.period_end,
                ack_number=done["ack_number"], submitted_at=now, late=done["late"])
            events = [event, *_standing(uow.session, row, now)]
            return filings.filing_dict(uow.session, row), events, (
                "filing_submitted", "filing", row.id, done)

        return self._write(payload, apply)

    def _decide(self, payload, outcome: str, model):
        command = parse(model, payload)

        def apply(uow, now):
            row = filings.row_of(uow.session, command.filing_id)
            scopes.ensure_decider(uow.ctx, row)
            filings.decide(uow.session, uow.ctx, row, outcome, command.remarks, now)
            row = filings.row_of(uow.session, command.filing_id)
            event = contracts.FilingDecidedV1(
                filing_id=row.id, form_code=row.form_code, filer_kind=row.filer_kind,
                filer_id=row.filer_id, period_end=row.period_end, outcome=outcome,
                remarks=command.remarks)
            events = [event, *_standing(uow.session, row, now)]
            return filings.filing_dict(uow.session, row), events, (
                f"filing_{outcome}", "filing", row.id, {"remarks": command.remarks})

        return self._write(payload, apply)

    @rpc
    def accept_filing(self, payload):
        return self._decide(payload, "accepted", contracts.DecideFilingV1)

    @rpc
    def return_filing(self, payload):
        """Back to the filer for correction, with the office's remarks."""
        return self._decide(payload, "returned", contracts.ReturnFilingV1)

    @rpc
    def get_filing(self, payload):
        ref = parse(contracts.FilingRefV1, payload)
        with self.db.read() as session:
            return filings.filing_dict(session, filings.visible(session, self.caller,
                                                                 ref.filing_id))

    @rpc
    def list_filings(self, payload):
        query = parse(contracts.FilingQueryV1, payload or {})
        with self.db.read() as session:
            return filings.list_for(session, self.caller, query)

    @rpc
    def export_filings(self, payload):
        """A page of one form's returns as rows (the gateway writes them as CSV or XLSX),
        with every column's type and English and Hindi label."""
        query = parse(contracts.FilingQueryV1, payload or {})
        if not query.form_code:
            raise InvalidInput("An export is of one form.", fields={"form_code": "required"})
        with self.db.read() as session:
            described = export.columns(session, query.form_code)
            names = [c["id"] for c in described]
            page = filings.list_for(session, self.caller, query)
            return {"columns": [*export.META, *names],
                    "described": [*export.META_COLUMNS, *described],
                    "rows": [export.row(item, names) for item in page["items"]],
                    "next_offset": page["next_offset"]}


def _standing(session, row, now) -> list:
    """A society's return filed or decided: its standing may have changed."""
    return standing.changes(session, row.filer_id, now) if row.filer_kind == "society" else []
