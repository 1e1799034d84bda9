"""Contracts the registry publishes and answers about societies, offices and applications."""
