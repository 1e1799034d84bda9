"""The grievance service: cases of every kind (grievance, inquiry, inspection, arbitration,
appeal, court case), hearings, orders, SLAs and escalation.
"""
