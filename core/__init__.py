"""Domain core: the rules every layer shares (catalogue, units, scoring, text, storage)."""
