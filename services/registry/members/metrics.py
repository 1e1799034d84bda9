"""What an operator watches in the member register: admissions and cessations, import
jobs and their rows by outcome, and how long applying an import takes."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from services.common.metrics import LATENCY_BUCKETS

members_changed = Counter(
    "member_changes", "Changes to member registers, by kind (admitted, updated, ceased, "
    "imported)", ["kind"], namespace="registry")
import_rows = Counter(
    "member_import_rows", "CSV rows of member imports, by outcome (staged: valid and "
    "waiting, bad, imported, discarded: staged but the job was rejected or abandoned)",
    ["outcome"], namespace="registry")
import_jobs = Counter(
    "member_import_jobs", "Finished member import jobs, by outcome (imported, rejected, "
    "abandoned)", ["outcome"], namespace="registry")
import_apply_seconds = Histogram(
    "member_import_apply_seconds", "Time to check and apply a staged import job",
    namespace="registry", buckets=(*LATENCY_BUCKETS, 60.0, 300.0, 900.0))
