"""Contracts the registry publishes and answers about the member register."""
