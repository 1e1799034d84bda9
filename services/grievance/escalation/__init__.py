"""SLAs (each level's deadline and the overall clock, per category and jurisdiction) and
the sweep that escalates late cases one level up the office chain, once per level."""
