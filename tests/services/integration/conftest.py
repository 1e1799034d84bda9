"""Fixtures shared by the integration tests of one domain live in its kit module."""

from tests.services.integration.elections_kit import election_stack  # noqa: F401
