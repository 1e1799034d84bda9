"""Inquiries and inspections: requested by the office, board members, federal
cooperatives, creditors or members; members' and board members' requests carry their
supporting voters, checked against the register."""
