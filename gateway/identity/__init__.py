"""Identity and access: accounts, roles and grants, sessions, passwords, OTP, rate limits."""
