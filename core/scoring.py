"""The one rule that turns levels into numbers. Every chart, table and export uses it.

The standard defines no numeric scale (see data/catalogue/README.md); this is a project choice:
each level has a score (data/codes/level.csv: red 0, yellow 50, green 100); a pillar's score is
the mean of its indicators' scores; a unit's overall score is the mean of its four pillar scores
(so each pillar weighs the same whatever its number of indicators); an average over units gives
every unit the same weight. ``rule_lines`` writes the rule out for people from these same values,
so the Method page, chart notes and reports never restate it by hand.
"""

from __future__ import annotations

from core import codes
from i18n import t

LEVELS: tuple[str, ...] = codes.codes("level")  # worst first
LEVEL_SCORE: dict[str, float] = {k: float(v) for k, v in codes.column("level", "score").items()}
LEVEL_RANK: dict[str, int] = {k: int(v) for k, v in codes.column("level", "rank").items()}
# Colour-blind-safe palette (Okabe-Ito vermillion / yellow / bluish green) with a symbol each,
# so no level is told by colour alone.
LEVEL_COLOUR: dict[str, str] = dict(codes.column("level", "colour"))
LEVEL_SYMBOL: dict[str, str] = dict(codes.column("level", "symbol"))

RULE_SQL_PILLAR = "avg(score)"  # pillar score over a unit's indicators of that pillar
RULE_SQL_OVERALL = "avg(pillar_score)"  # overall score over the unit's four pillar scores


def level_scores_text(lang: str) -> str:
    """'Đỏ 0, Vàng 50, Xanh 100' in the language asked for."""
    return ", ".join(f"{codes.label('level', lv, lang)} {LEVEL_SCORE[lv]:g}" for lv in LEVELS)


def rule_lines(lang: str) -> list[str]:
    """The scoring rule as numbered sentences, filled from the level table (never restated by hand)."""
    return [
        t("Level score: {scores}.", lang, scores=level_scores_text(lang)),
        t("Pillar score of a unit: the mean of the scores of its indicators in that pillar.", lang),
        t(
            "Overall score of a unit: the mean of its four pillar scores, so each pillar weighs the same "
            "whatever its number of indicators.",
            lang,
        ),
        t(
            "Average over units (province, country, unit type): the mean of the units' scores; each unit "
            "weighs the same.",
            lang,
        ),
        t(
            "Change: this year's score minus the score of the previous loaded year, same stage, same units.",
            lang,
        ),
    ]


def rule_note(lang: str) -> str:
    """One line stating the rule under charts and tables."""
    return t(
        "Scores 0-100: {scores}; a pillar's score is the mean of its indicators, the overall score the mean "
        "of the four pillars (see Method).",
        lang,
        scores=level_scores_text(lang).lower() if lang == "en" else level_scores_text(lang),
    )
