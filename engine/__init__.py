"""The coaching engine: facts, rules, paces and session composition. No I/O here."""
