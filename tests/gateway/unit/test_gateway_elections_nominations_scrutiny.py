"""The RO reads the nominations as filed, before their display: the public list
(``/nominations``) is asked anonymously whoever calls it, so before the display the
service answers it with nothing; ``/scrutiny/nominations`` carries the officer's own
identity to the service, is refused without a token and answers another election's RO
404 before any call."""

from __future__ import annotations

from contextlib import aclosing

import pytest

from services.common.errors import NotFound
from tests.gateway.identity_kit import make_kit

pytestmark = pytest.mark.anyio

ELECTION = "0e3c1b8a-5f7d-4c2a-9b1e-7d6f5a4c3b2a"
OTHER = "9f8e7d6c-5b4a-4321-8fed-cba987654321"
FILED = {"id": "11111111-1111-4111-8111-111111111111", "election_id": ELECTION,
         "contest": "board", "category": "general", "membership_number": "M0001",
         "candidate_name": "Ramesh Patil", "relative_name": "Father: Narayan Patil",
         "address": "Kolhapur 416001", "mobile": "9700000001",
         "central_govt_employee": False, "permission_document_id": None,
         "bank_director_since": None,
         "proposer_number": None, "seconder_number": None, "director_kind": None,
         "status": "filed", "filed_by": "ro-1", "filed_at": "2025-12-09T06:30:00Z",
         "reasons": [], "decided_by": None, "decided_at": None, "withdrawn_at": None}


def _as_the_service(payload, context):
    """The elections service's rule: officers always, anyone else once displayed."""
    if context.actor_role not in ("returning_officer", "assistant_returning_officer"):
        raise NotFound("The nominations have not been displayed yet.")
    return {"items": [FILED], "next_offset": None}


class _Contexts:
    """The contexts of the calls made, as a list."""

    def __init__(self, rpc):
        self.rpc = rpc

    def __getitem__(self, i):
        return self.rpc.calls[i].context

    def __len__(self):
        return len(self.rpc.calls)


async def test_the_ro_reads_the_nominations_as_filed_before_the_display(
        gateway_db_url, fake_rpc):
    # The fake answers as the service would, by the context the gateway sent.
    fake_rpc.on("elections", "list_nominations",
                lambda payload: _as_the_service(payload, fake_rpc.calls[-1].context))
    calls = _Contexts(fake_rpc)
    kit = make_kit(gateway_db_url, rpc=fake_rpc)
    async with aclosing(kit.client):
        token = await kit.token_for(role="returning_officer", scope_kind="election",
                                    scope_id=ELECTION)
        headers = kit.headers(token)
        # The public list is asked anonymously: before the display the RO sees nothing.
        public = await kit.client.get(f"/v1/elections/{ELECTION}/nominations",
                                      headers=headers)
        assert public.status_code == 404
        assert calls[-1].actor_role == "anonymous"
        # The scrutiny list carries the RO's grant: every nomination as filed.
        response = await kit.client.get(f"/v1/elections/{ELECTION}/scrutiny/nominations",
                                        params={"status": "filed"}, headers=headers)
        assert response.status_code == 200, response.text
        (item,) = response.json()["items"]
        assert item["candidate_name"] == "Ramesh Patil" and item["mobile"] == "9700000001"
        assert calls[-1].actor_role == "returning_officer"
        assert calls[-1].actor_scope == f"election:{ELECTION}"

        asked = len(calls)
        response = await kit.client.get(f"/v1/elections/{ELECTION}/scrutiny/nominations")
        assert response.status_code == 401
        response = await kit.client.get(f"/v1/elections/{OTHER}/scrutiny/nominations",
                                        headers=headers)
        assert response.status_code == 404
        society = await kit.token_for(role="society_representative", scope_kind="society",
                                      scope_id="S1")
        response = await kit.client.get(f"/v1/elections/{ELECTION}/scrutiny/nominations",
                                        headers=kit.headers(society))
        assert response.status_code == 403
        assert len(calls) == asked
