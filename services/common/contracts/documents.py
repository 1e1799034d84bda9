"""Contracts the documents service publishes and answers."""
