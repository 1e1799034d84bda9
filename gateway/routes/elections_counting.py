"""Election routes of the counting part of the workflow: booth results by double entry
(officers assigned to the booth), the RO's reconciliation queue, the result of the count
and the RO's draw of lots at a tie, Forms 19M/19N (preview, submit, the CEA's Section B
decision) and the declarations (refused until the CEA approves the form)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, ConfigDict, Field

from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.routes.elections import BoothNumber, ElectionId
from services.common.contracts import elections_counting as contracts

router = APIRouter(prefix="/v1/elections", tags=["elections"])

FormId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]
Category = Annotated[str, Path(pattern=r"^[a-z_]{1,32}$")]
_id = dict(pattern=r"^[0-9a-f-]{36}$")
NominationKey = Annotated[str, Field(**_id)]
VoteCount = Annotated[int, Field(ge=0, le=10_000_000)]
_text = dict(min_length=1, max_length=500)


class FiguresIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    votes_cast: VoteCount
    rejected: VoteCount
    votes: dict[NominationKey, VoteCount] = Field(max_length=1000)


class ReconcileIn(FiguresIn):
    reason: str = Field(min_length=3, max_length=4000)


class DrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    winners: list[NominationKey] = Field(min_length=1, max_length=100)
    note: str = Field(min_length=3, max_length=4000,
                      description="The draw of lots as held: who drew, before whom")


class ObDrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    winners: list[NominationKey] = Field(min_length=1, max_length=10)
    note: str = Field(min_length=3, max_length=4000)


class Form19MIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    peaceful: bool = True
    disruption: str | None = Field(None, **_text)
    court_cases: str | None = Field(None, **_text)
    vacant_reasons: dict[Annotated[str, Field(pattern=r"^[a-z_]{1,32}$")],
                         Annotated[str, Field(**_text)]] = Field(default_factory=dict,
                                                                 max_length=20)


class Form19NIn(Form19MIn):
    """The meeting's items are needed only when the RO has not recorded the office
    bearers' meeting (``PUT .../office-bearers/meeting``); once recorded, the form is
    printed from the record and these are not used."""

    meeting_at: str | None = Field(None, min_length=10, max_length=40,
                                   description="Date and time of the board meeting "
                                               "(ISO 8601)")
    venue: str | None = Field(None, **_text)
    incumbent_directors: int | None = Field(None, ge=0, le=1000)
    attended: int | None = Field(None, ge=0, le=1000)
    chaired_by_ro: bool | None = None
    chair_name: str | None = Field(None, min_length=1, max_length=200)
    votes: dict[NominationKey, VoteCount] = Field(default_factory=dict, max_length=100)
    draws: dict[Annotated[str, Field(pattern=r"^[a-z_]{1,32}$")], ObDrawIn] = Field(
        default_factory=dict, max_length=10)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject"]
    reason: str = Field(min_length=3, max_length=4000)


@router.post("/{election_id}/booths/{booth_number}/results",
             name="elections.counting.enter", response_model=contracts.BoothEntryAnswerV1,
             status_code=status.HTTP_201_CREATED,
             summary="An officer assigned to the booth enters its result; a second, "
                     "different officer enters it again (double entry)")
async def enter_booth_result(election_id: ElectionId, booth_number: BoothNumber,
                             body: FiguresIn, rpc: RpcDep,
                             context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "enter_booth_result",
                          {"election_id": election_id, "booth_number": booth_number,
                           **body.model_dump()}, context=context)


@router.get("/{election_id}/reconciliation", name="elections.counting.queue",
            response_model=contracts.ReconciliationQueueV1,
            summary="Booths whose two entries differ, both entries side by side (RO)")
async def reconciliation_queue(election_id: ElectionId, rpc: RpcDep,
                               context: CallContextDep) -> dict:
    return await rpc.call("elections", "reconciliation_queue",
                          {"election_id": election_id}, context=context)


@router.put("/{election_id}/reconciliation/{booth_number}",
            name="elections.counting.reconcile", response_model=contracts.BoothResultV1,
            summary="The RO records the figure that counts for a mismatched booth, with "
                    "the reason")
async def reconcile_booth(election_id: ElectionId, booth_number: BoothNumber,
                          body: ReconcileIn, rpc: RpcDep,
                          context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "reconcile_booth",
                          {"election_id": election_id, "booth_number": booth_number,
                           **body.model_dump()}, context=context)


@router.get("/{election_id}/result", name="elections.counting.result",
            response_model=contracts.CountV1,
            summary="The count: totals, winners by category, ties at the last seat "
                    "(409 listing the booths pending)")
async def count(election_id: ElectionId, rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("elections", "count", {"election_id": election_id},
                          context=context)


@router.post("/{election_id}/ties/{category}", name="elections.counting.resolve_tie",
             response_model=contracts.TieDecisionV1, status_code=status.HTTP_201_CREATED,
             summary="The RO's recorded draw of lots for the last seat(s) of a tied "
                     "category")
async def resolve_tie(election_id: ElectionId, category: Category, body: DrawIn,
                      rpc: RpcDep, context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "resolve_tie",
                          {"election_id": election_id, "category": category,
                           **body.model_dump()}, context=context)


@router.post("/{election_id}/forms/19M/preview", name="elections.counting.preview_19m",
             response_model=contracts.FormBodyV1,
             summary="Form 19M as it would be submitted (every item; arithmetic checked)")
async def preview_19m(election_id: ElectionId, body: Form19MIn, rpc: RpcDep,
                      context: CallContextDep) -> dict:
    return await rpc.call("elections", "generate_form_19m",
                          {"election_id": election_id, **body.model_dump()},
                          context=context)


@router.post("/{election_id}/forms/19M", name="elections.counting.submit_19m",
             response_model=contracts.FormV1, status_code=status.HTTP_201_CREATED,
             summary="The RO submits Form 19M for the CEA's prior approval")
async def submit_19m(election_id: ElectionId, body: Form19MIn, rpc: RpcDep,
                     context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "submit_form",
                          {"election_id": election_id, "form": "19M",
                           **body.model_dump()}, context=context)


@router.post("/{election_id}/forms/19N/preview", name="elections.counting.preview_19n",
             response_model=contracts.FormBodyV1,
             summary="Form 19N as it would be submitted (the board meeting's election of "
                     "office bearers)")
async def preview_19n(election_id: ElectionId, body: Form19NIn, rpc: RpcDep,
                      context: CallContextDep) -> dict:
    return await rpc.call("elections", "generate_form_19n",
                          {"election_id": election_id, **body.model_dump()},
                          context=context)


@router.post("/{election_id}/forms/19N", name="elections.counting.submit_19n",
             response_model=contracts.FormV1, status_code=status.HTTP_201_CREATED,
             summary="The RO submits Form 19N for the CEA's prior approval")
async def submit_19n(election_id: ElectionId, body: Form19NIn, rpc: RpcDep,
                     context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "submit_form",
                          {"election_id": election_id, "form": "19N",
                           **body.model_dump()}, context=context)


@router.get("/{election_id}/forms", name="elections.counting.list_forms",
            response_model=contracts.FormListV1,
            summary="Forms 19M/19N submitted, every version, with the CEA's decisions")
async def list_forms(election_id: ElectionId, rpc: RpcDep,
                     context: CallContextDep) -> dict:
    return await rpc.call("elections", "list_forms", {"election_id": election_id},
                          context=context)


@router.get("/{election_id}/forms/{form_id}", name="elections.counting.get_form",
            response_model=contracts.FormV1, summary="One submitted form")
async def get_form(election_id: ElectionId, form_id: FormId, rpc: RpcDep,
                   context: CallContextDep) -> dict:
    return await rpc.call("elections", "get_form",
                          {"election_id": election_id, "form_id": form_id},
                          context=context)


@router.post("/{election_id}/forms/{form_id}/decision", name="elections.counting.decide",
             response_model=contracts.FormV1,
             summary="Section B: the CEA approves or rejects the RO's recommendation, "
                     "with reasons")
async def decide_form(election_id: ElectionId, form_id: FormId, body: DecisionIn,
                      rpc: RpcDep, context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "decide_form",
                          {"election_id": election_id, "form_id": form_id,
                           **body.model_dump()}, context=context)


@router.post("/{election_id}/declarations/board", name="elections.counting.declare_board",
             response_model=contracts.DeclarationV1, status_code=status.HTTP_201_CREATED,
             summary="The RO declares the board's result (only after the CEA approves "
                     "Form 19M)")
async def declare_board(election_id: ElectionId, rpc: RpcDep,
                        context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "declare_result", {"election_id": election_id},
                          context=context)


@router.post("/{election_id}/declarations/office_bearers",
             name="elections.counting.declare_office_bearers",
             response_model=contracts.DeclarationV1, status_code=status.HTTP_201_CREATED,
             summary="The RO declares the office bearers (only after the CEA approves "
                     "Form 19N)")
async def declare_office_bearers(election_id: ElectionId, rpc: RpcDep,
                                 context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "declare_office_bearers",
                          {"election_id": election_id}, context=context)


@router.get("/{election_id}/declarations", name="elections.counting.declarations",
            response_model=contracts.DeclarationListV1,
            summary="The declarations made (board, office bearers)")
async def list_declarations(election_id: ElectionId, rpc: RpcDep,
                            context: CallContextDep) -> dict:
    return await rpc.call("elections", "list_declarations", {"election_id": election_id},
                          context=context)
