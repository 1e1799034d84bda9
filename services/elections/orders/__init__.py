"""The CEA's order: the election, its seats, posts, booths and officers, its programme."""
