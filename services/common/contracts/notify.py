"""Contracts the notify service publishes and answers."""
