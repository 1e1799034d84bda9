"""An ``office:`` grant reaches the societies under that office, and only those: the
gateway asks the registry for a society's office chain, remembers it for a while, and
fails closed when the registry cannot answer."""

from __future__ import annotations

from contextlib import aclosing

import pytest

from gateway.rpc import ServiceUnavailable
from services.common.errors import NotFound
from tests.gateway.identity_kit import make_kit

pytestmark = pytest.mark.anyio

CHAINS = {"soc-pune": ["dist-pune", "state-mh", "national"],
          "soc-mysuru": ["dist-mysuru", "state-ka", "national"]}


def chain_of(payload):
    society = payload["society_id"]
    if society not in CHAINS:
        raise NotFound("No such society.", {"society_id": society})
    return {"office_ids": CHAINS[society]}


async def test_an_office_grant_acts_on_societies_under_its_office(gateway_db_url, fake_rpc):
    fake_rpc.on("registry", "society_offices", chain_of)
    kit = make_kit(gateway_db_url, rpc=fake_rpc)
    state_registrar = await kit.token_for(role="registrar", scope_kind="office",
                                          scope_id="state-mh")
    async with aclosing(kit.client):
        inside = await kit.client.get("/v1/societies/soc-pune/access",
                                      headers=kit.headers(state_registrar))
        outside = await kit.client.get("/v1/societies/soc-mysuru/access",
                                       headers=kit.headers(state_registrar))
        unknown = await kit.client.get("/v1/societies/soc-nowhere/access",
                                       headers=kit.headers(state_registrar))
        again = await kit.client.get("/v1/societies/soc-pune/access",
                                     headers=kit.headers(state_registrar))
    assert inside.status_code == 200, inside.text
    assert inside.json() == {"society_id": "soc-pune", "role": "registrar",
                             "scope": "office:state-mh society:soc-pune"}
    # Another state's society, and one the registry does not know: as if absent.
    assert outside.status_code == 404 and unknown.status_code == 404
    assert again.status_code == 200
    asked = [call.payload["society_id"] for call in fake_rpc.calls
             if call.method == "society_offices"]
    assert asked == ["soc-pune", "soc-mysuru", "soc-nowhere"]  # the chain is remembered
    first = next(call for call in fake_rpc.calls if call.method == "society_offices")
    assert first.context.headers()["nameko.actor_scope"] == "office:state-mh"


async def test_without_the_registry_an_office_grant_is_refused_not_waved_through(
        gateway_db_url, fake_rpc):
    def down(_payload):
        raise ServiceUnavailable("registry")

    fake_rpc.on("registry", "society_offices", down)
    kit = make_kit(gateway_db_url, rpc=fake_rpc)
    district_officer = await kit.token_for(role="dealing_officer", scope_kind="office",
                                           scope_id="dist-pune")
    async with aclosing(kit.client):
        response = await kit.client.get("/v1/societies/soc-pune/access",
                                        headers=kit.headers(district_officer))
    assert response.status_code == 503
    assert "role" not in response.json()


async def test_a_society_grant_needs_no_registry_call(gateway_db_url, fake_rpc):
    kit = make_kit(gateway_db_url, rpc=fake_rpc)
    representative = await kit.token_for(role="society_representative",
                                         scope_kind="society", scope_id="soc-pune")
    async with aclosing(kit.client):
        own = await kit.client.get("/v1/societies/soc-pune/access",
                                   headers=kit.headers(representative))
        other = await kit.client.get("/v1/societies/soc-mysuru/access",
                                     headers=kit.headers(representative))
    assert own.status_code == 200 and other.status_code == 404
    assert not fake_rpc.calls
