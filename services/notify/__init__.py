"""The notify service: templates (EN/HI), SMS, email, society and user mailboxes, mass
communication, delivery records and reminders.
"""
