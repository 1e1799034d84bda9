"""Grievances: raised by members, creditors and citizens, routed to the office by
jurisdiction, then moved by the case engine."""
