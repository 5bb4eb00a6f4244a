"""The one rule that turns levels into numbers. Every chart, table and export uses it.

The standard defines no numeric scale (see data/catalogue/README.md); this is a project choice:
red 0, yellow 50, green 100; a pillar's score is the mean of its indicators' scores; a unit's
overall score is the mean of its four pillar scores (so each pillar weighs the same whatever
its number of indicators).
"""

from __future__ import annotations

LEVELS: tuple[str, ...] = ("red", "yellow", "green")
LEVEL_SCORE: dict[str, float] = {"red": 0.0, "yellow": 50.0, "green": 100.0}
LEVEL_RANK: dict[str, int] = {"red": 0, "yellow": 1, "green": 2}

# Colour-blind-safe palette (Okabe-Ito vermillion / yellow / bluish green) with a symbol each,
# so no level is told by colour alone.
LEVEL_COLOUR: dict[str, str] = {"red": "#D55E00", "yellow": "#F0E442", "green": "#009E73"}
LEVEL_SYMBOL: dict[str, str] = {"red": "✕", "yellow": "!", "green": "✓"}

RULE_SQL_PILLAR = "avg(score)"  # pillar score over a unit's indicators of that pillar
RULE_SQL_OVERALL = "avg(pillar_score)"  # overall score over the unit's four pillar scores
