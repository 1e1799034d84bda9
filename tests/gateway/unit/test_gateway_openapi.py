"""The OpenAPI document says what the gateway answers: one problem schema for every
failure, the bearer token where a route needs one, examples that fit their schemas."""

from __future__ import annotations

import re

import jsonschema
import pytest
from openapi_spec_validator import validate

from gateway.openapi import BEARER, ERROR_STATUSES
from services.common.errors import InvalidInput

pytestmark = pytest.mark.anyio

PROBLEM = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture
def document(make_app) -> dict:
    return make_app().openapi()


def operations(document: dict):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_document_is_valid_openapi(document):
    validate(document)


def test_every_failure_of_every_operation_is_a_problem_document(document):
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for path, method, operation in operations(document):
        responses = operation["responses"]
        assert "default" in responses, (method, path)
        for status, response in responses.items():
            if status != "default" and int(status) < 400:
                continue
            if (path, status) == ("/health", "503"):
                continue  # the health report itself, documented as such
            assert response["content"] == {"application/problem+json": {"schema": PROBLEM}}, (
                method, path, status)
        wanted = {str(s) for s in ERROR_STATUSES} - (
            {"401", "403"} if "security" not in operation else set())
        assert wanted <= set(responses), (method, path)


def test_signed_in_routes_require_the_bearer_token_and_public_ones_do_not(document):
    scheme = document["components"]["securitySchemes"][BEARER]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    ops = {(path, method): op for path, method, op in operations(document)}
    assert ops[("/v1/admin/accounts", "get")]["security"] == [{BEARER: []}]
    assert ops[("/v1/me", "get")]["security"] == [{BEARER: []}]
    for public in (("/v1/societies", "get"), ("/v1/auth/sign-in", "post"),
                   ("/health", "get")):
        assert "security" not in ops[public], public


def test_examples_fit_their_schemas(document):
    schemas = document["components"]["schemas"]
    with_examples = {name: s for name, s in schemas.items() if s.get("examples")}
    assert {"Problem", "PublicSocietyV1", "SocietyV1", "DirectoryPageOut", "ApplicationPageOut",
            "CreateApplicationV1"} <= set(with_examples)
    for schema in with_examples.values():
        for example in schema["examples"]:
            resolver_doc = {**schema, "components": document["components"]}
            jsonschema.validate(example, resolver_doc)


async def test_a_real_failure_matches_the_documented_problem(make_app, client_for):
    app = make_app()
    problem = {**app.openapi()["components"]["schemas"]["Problem"],
               "components": app.openapi()["components"]}
    async with client_for(app) as client:
        missing = await client.get("/v1/societies/no such id")
        unsigned = await client.get("/v1/me")
    for response, status in ((missing, 422), (unsigned, 401)):
        assert response.status_code == status
        assert response.headers["content-type"] == "application/problem+json"
        jsonschema.validate(response.json(), problem)


@pytest.mark.parametrize("typed", [
    "ABCD-EFGH-JKMN", "abcd efgh jkmn", "0123456789AB", "OIL0-1234-5678", "ABCDEFGHJKMN",
    "ABCD-EFGH-JKM", "ABCD-EFGH-JKMU", "ABCD_EFGH_JKMN", "ABCD-EFGH-JKMNP", "", "------------",
])
def test_the_documented_code_pattern_is_what_the_documents_service_takes(typed):
    from services.common.contracts.documents import CERTIFICATE_CODE_PATTERN
    from services.documents.certificates import normalise_code

    documented = re.fullmatch(CERTIFICATE_CODE_PATTERN, typed) is not None
    assert documented == (normalise_code(typed) is not None)


@pytest.mark.parametrize(("channel", "typed"), [
    ("sms", "+91 98123 45678"), ("sms", "9812345678"), ("sms", "91-98123-45678"),
    ("sms", "(981) 234 5678"), ("sms", "+44 20 7946 0958"), ("sms", "98123"),
    ("sms", "+0 98123 45678"), ("sms", "981234567890"), ("sms", "asha@example.in"),
    ("email", "Asha.Citizen@Example.IN"), ("email", "asha@example"), ("email", "a b@c.in"),
])
def test_the_documented_destination_patterns_are_what_otp_requests_take(channel, typed):
    from gateway.identity.otp import EMAIL_PATTERN, PHONE_PATTERN, normalise_destination

    pattern = PHONE_PATTERN if channel == "sms" else EMAIL_PATTERN
    documented = re.fullmatch(pattern, typed) is not None
    try:
        normalise_destination(channel, typed)
        taken = True
    except InvalidInput:
        taken = False
    assert documented == taken
