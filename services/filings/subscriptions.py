"""The events the filings service handles: (source service, event type, handler method).
The topology declares a queue (with its retry and dead-letter queues) for each."""

HANDLED: tuple[tuple[str, str, str], ...] = (
    ("registry", "society_registered", "on_society_registered"),
)
