"""Fixtures shared by the integration tests of one domain live in its kit module."""

from tests.services.integration.elections_kit import election_stack  # noqa: F401
from tests.services.integration.filings_kit import filings_stack  # noqa: F401
from tests.services.integration.grievance_kit import grievance_stack  # noqa: F401
