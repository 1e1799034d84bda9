"""Returns: form definitions stored by version and jurisdiction, and filings through
their lifecycle (draft, submitted, accepted or returned, resubmitted)."""
