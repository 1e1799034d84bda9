"""Every table of the elections service, on one metadata: the order and its programme,
the voter list, nominations and disqualifications, booth results and the count, Forms
19M/19N and declarations, expense accounts and remuneration claims.

Ids of elections, nominations, objections and forms are UUID strings; booth and voter
rows are serial. Amounts are integer paise. Times are stored in UTC; the programme's
dates and daily hours are India time (the order's own terms)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)

from services.common.schema import Serial
from services.elections.models import metadata

_tz = DateTime(timezone=True)

# ----------------------------------------------------------------------------- the order

# The CEA's order: which society, which election, who returns it. ``status`` follows
# the programme: ordered -> board_declared -> office_bearers_declared (or cancelled).
election = Table(
    "election", metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(32), nullable=False, unique=True),      # 107/2025-26
    Column("order_ref", String(64), nullable=False),                # CEA-12011/99/2025
    Column("order_date", Date, nullable=False),
    Column("society_id", String(64), nullable=False),
    Column("society_name", String(300), nullable=False),
    Column("registration_number", String(64), nullable=False),
    Column("society_address", String(500), nullable=False),
    Column("area_states", JSON, nullable=False),                    # ["Maharashtra", ...]
    Column("returning_officer", JSON, nullable=False),              # name, designation ...
    Column("is_bank", Boolean, nullable=False),                     # BR Act tenure check
    Column("voters_as_on", Date, nullable=False),                   # 31 March before
    Column("bye_laws_require_proposer", Boolean, nullable=False),
    Column("status", String(32), nullable=False),
    # The stage the programme has reached by the service's clock (``programme.reached``;
    # NULL: the first stage has not opened) and when it next changes (NULL: never): kept
    # on the order, on an amendment, on a move of the rehearsal clock and by the timer
    # as each ``stage_changes_at`` passes, so lists filter by stage in SQL.
    Column("stage", String(40), nullable=True),
    Column("stage_changes_at", _tz, nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", _tz, nullable=False),
    Column("updated_at", _tz, nullable=False),
    Index("ix_election_society", "society_id"),
    Index("ix_election_status", "status"),
    Index("ix_election_stage", "stage"),
    Index("ix_election_stage_changes_at", "stage_changes_at"),
)

# Seats of the board by category (general, women, sc_st): 16 / 2 / 1 in seed 003.
election_seat = Table(
    "election_seat", metadata,
    Column("election_id", String(36), ForeignKey("election.id"), primary_key=True),
    Column("category", String(16), primary_key=True),
    Column("seats", Integer, nullable=False),
    # Under the bye-laws (Form 19M item (iv)), at least ``seats``; NULL: as notified.
    Column("bye_law_seats", Integer, nullable=True),
)

# Office-bearer posts (chairman, vice_chairman): one seat each.
election_post = Table(
    "election_post", metadata,
    Column("election_id", String(36), ForeignKey("election.id"), primary_key=True),
    Column("post", String(32), primary_key=True),
    Column("title", String(100), nullable=False),
)

polling_booth = Table(
    "polling_booth", metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("election_id", String(36), ForeignKey("election.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("location", String(300), nullable=False),
    Column("district", String(100), nullable=False),
    Column("state", String(100), nullable=False),
    Column("voters_assigned", Integer, nullable=False),
    UniqueConstraint("election_id", "number"),
)

# Officers (accounts holding an ``election:<id>`` grant) assigned to enter a booth's
# result; double entry needs two different ones.
booth_officer = Table(
    "booth_officer", metadata,
    Column("booth_id", Serial,
           ForeignKey("polling_booth.id"), primary_key=True),
    Column("account_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("assigned_by", String(64), nullable=False),
    Column("assigned_at", _tz, nullable=False),
)

# ----------------------------------------------------------------------------- programme

# One row per stage of Annexure I. ``starts_on``..``ends_on`` are India dates;
# ``daily_from``/``daily_to`` the hours each day (NULL from: the whole day from midnight;
# NULL to: open until the end of the last day or the next stage's opening).
programme_stage = Table(
    "programme_stage", metadata,
    Column("election_id", String(36), ForeignKey("election.id"), primary_key=True),
    Column("stage", String(40), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("daily_from", Time, nullable=True),
    Column("daily_to", Time, nullable=True),
    Column("done_at", _tz, nullable=True),           # a publication stage, once done
    Column("done_by", String(64), nullable=True),
)

# Non-production only: how far the service's clock runs ahead of the real one, so a
# rehearsal (or a test) replays a whole programme in minutes. Production refuses it.
clock_offset = Table(
    "clock_offset", metadata,
    Column("id", Integer, primary_key=True),
    Column("seconds", BigInteger, nullable=False),
    Column("set_by", String(64), nullable=False),
    Column("set_at", _tz, nullable=False),
)

# ----------------------------------------------------------------------------- voters

# The draw of the voter list from the registry's register as on ``voters_as_on``: a
# timer pages through it as the platform (``after`` is the registry's cursor).
voter_list_draw = Table(
    "voter_list_draw", metadata,
    Column("election_id", String(36), ForeignKey("election.id"), primary_key=True),
    Column("status", String(16), nullable=False),     # drawing, drawn, failed
    Column("after", String(200), nullable=True),
    Column("drawn", Integer, nullable=False),
    Column("error", Text, nullable=True),
    Column("requested_by", String(64), nullable=False),
    Column("started_at", _tz, nullable=False),
    Column("finished_at", _tz, nullable=True),
)

# One voter. ``on_list`` is false for a voter struck off by an upheld objection;
# ``source`` says whether the register or an upheld objection put them there.
voter = Table(
    "voter", metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("election_id", String(36), ForeignKey("election.id"), nullable=False),
    Column("serial_no", Integer, nullable=False),
    Column("member_id", String(36), nullable=True),
    Column("membership_number", String(32), nullable=False),
    Column("name", String(200), nullable=False),
    Column("category", String(16), nullable=False),   # individual, firm, society
    Column("phone", String(16), nullable=True),
    Column("email", String(254), nullable=True),
    Column("language", String(8), nullable=False),
    Column("on_list", Boolean, nullable=False),
    Column("source", String(16), nullable=False),     # register, objection
    Column("changed_by_objection", String(36), nullable=True),
    # The polling booth (its number in the order) where the voter votes; NULL: none yet.
    Column("booth", Integer, nullable=True),
    UniqueConstraint("election_id", "membership_number"),
    Index("ix_voter_election_serial", "election_id", "serial_no"),
)

# The RO's assignment of the list's voters to the booths, as it stands (the newest; the
# audit trail keeps each): ``serial_order`` (voters in serial order fill the booths in
# booth-number order, each up to the voters the order gives it) or ``file`` (the RO's
# CSV of membership number and booth; with ``file+serial_order`` the voters it leaves
# out fill the room left in serial order). ``from_file``: voters the file placed.
booth_assignment = Table(
    "booth_assignment", metadata,
    Column("election_id", String(36), ForeignKey("election.id"), primary_key=True),
    Column("rule", String(32), nullable=False),
    Column("assigned", Integer, nullable=False),
    Column("from_file", Integer, nullable=False),
    Column("assigned_by", String(64), nullable=False),
    Column("assigned_at", _tz, nullable=False),
)

voter_objection = Table(
    "voter_objection", metadata,
    Column("id", String(36), primary_key=True),
    Column("election_id", String(36), ForeignKey("election.id"), nullable=False),
    Column("kind", String(16), nullable=False),       # add, delete, correct
    Column("membership_number", String(32), nullable=False),
    Column("details", JSON, nullable=False),          # name/category for add, changes
    Column("grounds", Text, nullable=False),
    Column("filed_by", String(64), nullable=False),
    Column("filed_by_member", String(32), nullable=True),
    Column("filed_at", _tz, nullable=False),
    Column("status", String(16), nullable=False),     # pending, upheld, dismissed
    Column("decision_reason", Text, nullable=True),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", _tz, nullable=True),
    Index("ix_voter_objection_election", "election_id", "status"),
)

# A published list (provisional, final; later the valid nominations, contesting
# candidates): when, how many, the documents holding its CSV and PDF.
publication = Table(
    "publication", metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("election_id", String(36), ForeignKey("election.id"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("published_at", _tz, nullable=False),
    Column("published_by", String(64), nullable=False),
    Column("entries", Integer, nullable=False),
    Column("document_ids", JSON, nullable=False),
    UniqueConstraint("election_id", "kind"),
)

# ----------------------------------------------------------------------------- nominations

# ``contest`` is ``board`` (category: general, women, sc_st) or ``office_bearer``
# (category: the post). ``identity_digest`` is a keyed digest of the candidate's
# Aadhaar number: disqualifications follow the person across societies.
nomination = Table(
    "nomination", metadata,
    Column("id", String(36), primary_key=True),
    Column("election_id", String(36), ForeignKey("election.id"), nullable=False),
    Column("contest", String(16), nullable=False),
    Column("category", String(32), nullable=False),
    Column("membership_number", String(32), nullable=False),
    Column("candidate_name", String(200), nullable=False),
    Column("relative_name", String(200), nullable=True),   # father / husband
    Column("address", String(500), nullable=True),
    Column("mobile", String(16), nullable=True),
    Column("identity_digest", String(64), nullable=False),
    Column("proposer_number", String(32), nullable=True),
    Column("seconder_number", String(32), nullable=True),
    Column("central_govt_employee", Boolean, nullable=False),
    Column("permission_document_id", String(36), nullable=True),
    Column("bank_director_since", Date, nullable=True),   # continuous tenure start
    Column("director_kind", String(16), nullable=True),   # elected/nominated/co-opted
    Column("filed_by", String(64), nullable=False),
    Column("filed_at", _tz, nullable=False),
    Column("status", String(16), nullable=False),  # filed, accepted, rejected, withdrawn
    Column("reasons", JSON, nullable=True),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", _tz, nullable=True),
    Column("withdrawn_at", _tz, nullable=True),
    Index("ix_nomination_election", "election_id", "contest", "category"),
    UniqueConstraint("election_id", "contest", "category", "membership_number"),
)

# Disqualification orders in force anywhere on the platform (rule 19V, and others the
# CEA records): later scrutiny in any society's election refuses the person.
disqualification = Table(
    "disqualification", metadata,
    Column("id", String(36), primary_key=True),
    Column("identity_digest", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("rule", String(16), nullable=False),             # 19V, ...
    Column("order_ref", String(64), nullable=False),
    Column("order_date", Date, nullable=False),
    Column("until", Date, nullable=False),
    Column("source_election_id", String(36), nullable=True),
    Column("reason", Text, nullable=False),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", _tz, nullable=False),
    Index("ix_disqualification_identity", "identity_digest"),
)

# ----------------------------------------------------------------------------- counting

# One officer's entry of one booth (double entry: two different officers per booth).
booth_entry = Table(
    "booth_entry", metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("booth_id", Serial,
           ForeignKey("polling_booth.id"), nullable=False),
    Column("election_id", String(36), ForeignKey("election.id"), nullable=False),
    Column("contest", String(16), nullable=False),
    Column("account_id", String(64), nullable=False),
    Column("votes_cast", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("votes", JSON, nullable=False),            # {nomination_id: votes}
    Column("entered_at", _tz, nullable=False),
    UniqueConstraint("booth_id", "contest", "account_id"),
)

# The booth's figure that counts: both entries matched, or the RO reconciled them.
booth_result = Table(
    "booth_result", metadata,
    Column("booth_id", Serial,
           ForeignKey("polling_booth.id"), primary_key=True),
    Column("contest", String(16), primary_key=True),
    Column("election_id", String(36), ForeignKey("election.id"), nullable=False),
    Column("status", String(16), nullable=False),     # matched, mismatch, reconciled
    Column("votes_cast", Integer, nullable=True),
    Column("rejected", Integer, nullable=True),
    Column("votes", JSON, nullable=True),
    Column("reconciled_by", String(64), nullable=True),
    Column("reason", Text, nullable=True),
    Column("updated_at", _tz, nullable=False),
    Index("ix_booth_result_election", "election_id", "contest", "status"),
)

# A tie at the last seat of a category, resolved only by the RO's recorded draw of lots.
tie_decision = Table(
    "tie_decision", metadata,
    Column("election_id", String(36), ForeignKey("election.id"), primary_key=True),
    Column("contest", String(16), primary_key=True),
    Column("category", String(32), primary_key=True),
    Column("tied", JSON, nullable=False),              # nomination ids
    Column("winners", JSON, nullable=False),           # nomination ids drawn
    Column("note", Text, nullable=False),
    Column("decided_by", String(64), nullable=False),
    Column("decided_at", _tz, nullable=False),
)

# The meeting of the newly elected board that elects the office bearers (rule 19N(1)-(2)),
# as the RO records it: one per election, replaced until Form 19N is submitted. The
# votes are per candidate of a contested post (nomination id -> votes); a draw of lots
# at a tie is a ``tie_decision`` of contest ``office_bearer``.
ob_meeting = Table(
    "ob_meeting", metadata,
    Column("election_id", String(36), ForeignKey("election.id"), primary_key=True),
    Column("meeting_at", _tz, nullable=False),
    Column("venue", Text, nullable=False),
    Column("chaired_by_ro", Boolean, nullable=False),
    Column("chair_name", String(200), nullable=False),
    Column("directors_present", JSON, nullable=False),  # membership numbers
    Column("votes", JSON, nullable=False),              # nomination id -> votes
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", _tz, nullable=False),
)

# ----------------------------------------------------------------------------- forms

# Form 19M (board) or 19N (office bearers), as generated and submitted; the CEA's
# Section B decision. A rejected form may be generated and submitted again (version+1).
result_form = Table(
    "result_form", metadata,
    Column("id", String(36), primary_key=True),
    Column("election_id", String(36), ForeignKey("election.id"), nullable=False),
    Column("form", String(4), nullable=False),         # 19M, 19N
    Column("version", Integer, nullable=False),
    Column("body", JSON, nullable=False),
    Column("status", String(16), nullable=False),      # submitted, approved, rejected
    Column("document_id", String(36), nullable=True),
    Column("submitted_by", String(64), nullable=False),
    Column("submitted_at", _tz, nullable=False),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", _tz, nullable=True),
    Column("decision_reason", Text, nullable=True),
    UniqueConstraint("election_id", "form", "version"),
)

declaration = Table(
    "declaration", metadata,
    Column("election_id", String(36), ForeignKey("election.id"), primary_key=True),
    Column("contest", String(16), primary_key=True),
    Column("form_id", String(36), ForeignKey("result_form.id"), nullable=False),
    Column("elected", JSON, nullable=False),           # [{nomination_id, category, ...}]
    Column("declared_by", String(64), nullable=False),
    Column("declared_at", _tz, nullable=False),
)

# ----------------------------------------------------------------------------- afterwards

# Rule 19W account of a contesting candidate's expenses, lodged within 30 days.
expense_account = Table(
    "expense_account", metadata,
    Column("nomination_id", String(36), ForeignKey("nomination.id"), primary_key=True),
    Column("election_id", String(36), ForeignKey("election.id"), nullable=False),
    Column("items", JSON, nullable=False),
    Column("total_paid_paise", BigInteger, nullable=False),
    Column("total_outstanding_paise", BigInteger, nullable=False),
    Column("voucher_document_ids", JSON, nullable=False),
    Column("lodged_by", String(64), nullable=False),
    Column("lodged_at", _tz, nullable=False),
    Column("inspection_notice", JSON, nullable=True),   # rule 19X: time, place
    Column("inspection_notice_at", _tz, nullable=True),
)

remuneration_claim = Table(
    "remuneration_claim", metadata,
    Column("id", String(36), primary_key=True),
    Column("election_id", String(36), ForeignKey("election.id"), nullable=False),
    Column("kind", String(32), nullable=False),   # returning_officer, aro, polling
    Column("name", String(200), nullable=False),
    Column("designation", String(200), nullable=False),
    Column("service", String(200), nullable=False),
    Column("pan", String(10), nullable=False),
    Column("bank_account", JSON, nullable=False),
    Column("cancelled_cheque_document_id", String(36), nullable=False),
    Column("basic_pay_paise", BigInteger, nullable=True),
    Column("days", Integer, nullable=True),
    Column("amount_paise", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),   # claimed, approved, rejected
    Column("claimed_by", String(64), nullable=False),
    Column("claimed_at", _tz, nullable=False),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", _tz, nullable=True),
    Column("decision_reason", Text, nullable=True),
    Index("ix_remuneration_claim_election", "election_id"),
)

# The RO's report to the CEA of the contesting candidates who lodged no account within
# the 30 days (rule 19V), one per election, and the CEA's decision on each of them.
expense_report = Table(
    "expense_report", metadata,
    Column("election_id", String(36), ForeignKey("election.id"), primary_key=True),
    Column("defaulters", JSON, nullable=False),        # nomination ids
    Column("note", Text, nullable=False),
    Column("reported_by", String(64), nullable=False),
    Column("reported_at", _tz, nullable=False),
)

# The limit of a candidate's total expenditure the Authority specified for the election
# (rule 19U(3)); specified again, the newest stands (the audit trail keeps the earlier).
expense_limit = Table(
    "expense_limit", metadata,
    Column("election_id", String(36), ForeignKey("election.id"), primary_key=True),
    Column("limit_paise", BigInteger, nullable=False),
    Column("order_ref", String(64), nullable=False),
    Column("order_date", Date, nullable=False),
    Column("set_by", String(64), nullable=False),
    Column("set_at", _tz, nullable=False),
)

expense_default_decision = Table(
    "expense_default_decision", metadata,
    Column("nomination_id", String(36), ForeignKey("nomination.id"), primary_key=True),
    Column("election_id", String(36), ForeignKey("election.id"), nullable=False),
    Column("decision", String(16), nullable=False),    # disqualify, excuse
    Column("disqualification_id", String(36), ForeignKey("disqualification.id"),
           nullable=True),
    Column("reason", Text, nullable=False),
    Column("decided_by", String(64), nullable=False),
    Column("decided_at", _tz, nullable=False),
)

# Items of the RO's Annexure VI checklist that only the RO can vouch for (a meeting, a
# newspaper notice, an email to the CEA); the rest are read from the records.
checklist_entry = Table(
    "checklist_entry", metadata,
    Column("election_id", String(36), ForeignKey("election.id"), primary_key=True),
    Column("item", Integer, primary_key=True),
    Column("done_on", Date, nullable=False),
    Column("note", Text, nullable=False),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", _tz, nullable=False),
)
