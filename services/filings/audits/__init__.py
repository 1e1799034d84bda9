"""Audits: each society's audited financial years and its audit status."""
