"""The events the documents service handles: (source service, event type, handler method).
The topology declares a queue (with its retry and dead-letter queues) for each."""

HANDLED: tuple[tuple[str, str, str], ...] = (
    # The registration certificate of every newly registered society.
    ("registry", "society_registered", "on_society_registered"),
    # Forms 19M/19N as the RO submitted them to the CEA.
    ("elections", "election_form_submitted", "on_election_form_submitted"),
    # The provisional and final lists of voters, printed once each as PDFs.
    ("elections", "election_voter_list_published", "on_voter_list_published"),
    # The nominations lists (received, valid, contesting), printed once each as PDFs.
    ("elections", "election_nominations_list_published", "on_nominations_list_published"),
    # Every service's signed audit chain head, kept outside its own database.
    *((source, "audit_head_anchored", f"on_{source}_audit_head_anchored")
      for source in ("registry", "elections", "filings", "grievance", "notify",
                     "documents")),
)
