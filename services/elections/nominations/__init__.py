"""Nominations: filing, scrutiny against every provable disqualification, withdrawal, candidates."""
