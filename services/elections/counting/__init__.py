"""The poll's count: booth results by double entry, reconciliation, winners, ties, Forms 19M/19N."""
