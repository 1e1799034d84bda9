"""Cases of every kind: opening one, taking a transition, reading a case and its history."""
