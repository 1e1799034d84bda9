"""The events the registry service handles: (source service, event type, handler method).
The topology declares a queue (with its retry and dead-letter queues) for each."""

HANDLED: tuple[tuple[str, str, str], ...] = (
    ("elections", "election_result_declared", "on_election_result_declared"),
    ("grievance", "case_winding_up_recommended", "on_case_winding_up_recommended"),
    ("filings", "society_standing_changed", "on_society_standing_changed"),
)
