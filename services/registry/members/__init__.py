"""The member register: members and their history, queries, CSV import jobs and bulk."""
