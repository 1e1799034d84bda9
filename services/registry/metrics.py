"""What an operator watches in the registry beyond the chassis's RPC and outbox metrics:
workflow throughput, decisions, deadline reminders, and the directory's result sizes."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

APPLICATION_TRANSITIONS = Counter(
    "registry_application_transitions_total",
    "Application workflow steps taken, by kind and action", ["kind", "action"])
SOCIETIES_REGISTERED = Counter(
    "registry_societies_registered_total", "Societies created by approved registrations",
    ["office_id"])
DEADLINE_EVENTS = Counter(
    "registry_deadline_events_total",
    "Deadline reminders raised (due_soon, overdue)", ["kind"])
DEADLINE_SCAN_SECONDS = Histogram(
    "registry_deadline_scan_seconds", "Time one deadline scan took")
SOCIETY_STATUS_CHANGES = Counter(
    "registry_society_status_changes_total", "Society status changes, by new status",
    ["to_status"])
