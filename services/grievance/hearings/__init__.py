"""Quasi-judicial cases: appeals (within 60 days of the order), court cases, hearings with
their dates, orders as documents, and the public status of a court case by its number."""
