"""The filings service: form definitions and versions, annual and periodic returns, audits
and auditor allotment, financial assistance applications and due dates.
"""
