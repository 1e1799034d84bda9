"""What follows a declaration: expense accounts (19U-19X), remuneration claims, and the
RO's Annexure VI checklist."""
