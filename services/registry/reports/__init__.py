"""Registry reports: societies and applications counted up the office hierarchy."""
