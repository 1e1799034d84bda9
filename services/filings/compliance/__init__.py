"""Due dates and compliance: the roster of societies, each society's calendar of returns,
the office's compliance view, and the due-soon / overdue reminders."""
