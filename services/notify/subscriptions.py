"""The events the notify service handles: (source service, event type, handler method).
The topology declares a queue (with its retry and dead-letter queues) for each.
What each event becomes is decided in rules.py."""

HANDLED: tuple[tuple[str, str, str], ...] = (
    ("registry", "application_stage_changed", "on_application_stage_changed"),
    ("registry", "application_due_soon", "on_application_due_soon"),
    ("registry", "application_overdue", "on_application_overdue"),
    ("registry", "society_registered", "on_society_registered"),
    ("documents", "certificate_issued", "on_certificate_issued"),
    ("elections", "election_stage_published", "on_election_stage_published"),
    ("elections", "election_result_declared", "on_election_result_declared"),
    ("elections", "election_expense_inspection_notice",
     "on_election_expense_inspection_notice"),
    ("filings", "filing_due_soon", "on_filing_due_soon"),
    ("filings", "filing_overdue", "on_filing_overdue"),
    ("filings", "office_filing_due_soon", "on_office_filing_due_soon"),
    ("filings", "office_filing_overdue", "on_office_filing_overdue"),
    ("filings", "filing_decided", "on_filing_decided"),
    ("filings", "assistance_decided", "on_assistance_decided"),
    ("filings", "assistance_released", "on_assistance_released"),
    ("filings", "assistance_utilised", "on_assistance_utilised"),
    ("filings", "loan_repayment_recorded", "on_loan_repayment_recorded"),
    ("filings", "audit_reminder", "on_audit_reminder"),
    ("filings", "auditor_empanelled", "on_auditor_empanelled"),
    ("filings", "audit_allotted", "on_audit_allotted"),
    ("filings", "empanelment_step", "on_empanelment_step"),
    ("grievance", "case_opened", "on_case_opened"),
    ("grievance", "case_transitioned", "on_case_transitioned"),
    ("grievance", "case_escalated", "on_case_escalated"),
    ("grievance", "case_hearing_scheduled", "on_case_hearing_scheduled"),
    ("grievance", "case_hearing_reminder", "on_case_hearing_reminder"),
)
