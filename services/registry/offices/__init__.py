"""Registrar offices: the national -> state -> district tree, registration numbers, SLA."""
