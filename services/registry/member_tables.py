"""Registry tables of the member register (members of each society)."""
