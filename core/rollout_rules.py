"""The rollout analysis rules: bands of units, readiness groups, coverage, baselines, top lists.

These are project choices, not the standard's (ISO 18091 rates each indicator red/yellow/green and
defines no tiers). They live here and only here: the query layer (query/rollout.py) builds its SQL
from these values, and ``rule_lines`` writes the rules out for people from the same values, so the
Rollout view, the Excel workbook and the Word/PDF report never restate a threshold by hand.
To change a rule, change a value below; every figure and every rule text follows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core import catalogue
from core.scoring import LEVEL_RANK, LEVELS
from i18n import N_, number, t


@dataclass(frozen=True)
class Band:
    """A tier of units by overall score (like PCI's tiers): ``min_score`` <= overall < the next one up."""

    code: str
    min_score: float
    label: str  # msgid


@dataclass(frozen=True)
class ReadinessGroup:
    """A readiness group: a unit belongs to the first group (in order) whose every condition it meets.

    A condition left as None is not checked. ``max_red_key_pillar`` counts red indicators in
    ``KEY_PILLAR``; ``min_pillar_score`` applies to each of the four pillar scores.
    """

    code: str
    label: str  # msgid
    min_overall: float | None = None
    max_red_key_pillar: int | None = None
    min_pillar_score: float | None = None


# Overall-score tiers, best first; the last one must start at 0 so every complete unit has a band.
BANDS: tuple[Band, ...] = (
    Band("very_good", 80.0, N_("Very good")),
    Band("good", 65.0, N_("Good")),
    Band("fair", 50.0, N_("Fair")),
    Band("low", 0.0, N_("Low")),
)

# Pillar 1 (institutional development for good governance) is the base the other pillars stand on,
# so readiness asks that it carries no red indicator.
KEY_PILLAR = 1
READINESS: tuple[ReadinessGroup, ...] = (
    ReadinessGroup("ready", N_("Ready"), min_overall=65.0, max_red_key_pillar=0, min_pillar_score=50.0),
    ReadinessGroup("ready_with_support", N_("Ready with support"), min_overall=50.0, max_red_key_pillar=2),
    ReadinessGroup("needs_preparation", N_("Needs preparation")),
)
NOT_CLASSIFIED = "not_classified"  # an incomplete assessment gets no band and no readiness group
NOT_CLASSIFIED_LABEL = N_("Not classified (incomplete)")

# An assessment is complete when at least this share of the catalogue's indicators has a level.
COMPLETE_SHARE = 1.0
# How many indicators the "weakest" and "most improved / most declined" lists show.
WEAKEST_TOP_N = 10
MOVES_TOP_N = 10


def catalogue_size() -> int:
    """The number of indicators in the catalogue (39)."""
    return len(catalogue.indicator_codes())


def complete_min_indicators() -> int:
    """The fewest indicators with a level that make an assessment complete."""
    return math.ceil(COMPLETE_SHARE * catalogue_size() - 1e-9)


def band_codes() -> tuple[str, ...]:
    return tuple(b.code for b in BANDS)


def readiness_codes() -> tuple[str, ...]:
    return tuple(g.code for g in READINESS)


def band_label(code: str, lang: str | None = None) -> str:
    for b in BANDS:
        if b.code == code:
            return t(b.label, lang)
    return t(NOT_CLASSIFIED_LABEL, lang)


def readiness_label(code: str, lang: str | None = None) -> str:
    for g in READINESS:
        if g.code == code:
            return t(g.label, lang)
    return t(NOT_CLASSIFIED_LABEL, lang)


def _n(value: float, lang: str | None) -> str:
    return number(value, lang, digits=0 if float(value).is_integer() else 1)


def band_range(code: str, lang: str | None = None) -> str:
    """'65 ≤ điểm < 80' for a band."""
    for i, b in enumerate(BANDS):
        if b.code != code:
            continue
        upper = BANDS[i - 1].min_score if i > 0 else None
        low = _n(b.min_score, lang)
        if upper is None:
            return t("overall ≥ {low}", lang, low=low)
        if b.min_score <= 0:
            return t("overall < {high}", lang, high=_n(upper, lang))
        return t("{low} ≤ overall < {high}", lang, low=low, high=_n(upper, lang))
    return "–"


def readiness_condition(code: str, lang: str | None = None) -> str:
    """The conditions of one readiness group in words, from its thresholds."""
    for g in READINESS:
        if g.code != code:
            continue
        parts = []
        if g.min_overall is not None:
            parts.append(t("overall ≥ {v}", lang, v=_n(g.min_overall, lang)))
        if g.max_red_key_pillar is not None:
            if g.max_red_key_pillar == 0:
                parts.append(t("no red indicator in pillar {p}", lang, p=KEY_PILLAR))
            else:
                parts.append(
                    t("at most {n} red indicators in pillar {p}", lang, n=g.max_red_key_pillar, p=KEY_PILLAR)
                )
        if g.min_pillar_score is not None:
            parts.append(t("every pillar ≥ {v}", lang, v=_n(g.min_pillar_score, lang)))
        if not parts:
            return t("the other complete assessments", lang)
        return "; ".join(parts)
    return t("incomplete assessment", lang)


def band_rule(lang: str | None = None) -> str:
    tiers = "; ".join(f"{t(b.label, lang)}: {band_range(b.code, lang)}" for b in BANDS)
    return t(
        "Bands of units by overall score (0-100), a project choice modelled on PCI's tiers: {tiers}.",
        lang,
        tiers=tiers,
    )


def readiness_rule(lang: str | None = None) -> str:
    groups = "; ".join(f"{t(g.label, lang)}: {readiness_condition(g.code, lang)}" for g in READINESS)
    return t(
        "Readiness groups, checked in this order (a unit takes the first group whose conditions it meets): "
        "{groups}. Pillar {p} is the institutional base of the standard, so readiness asks it to carry few "
        "red indicators.",
        lang,
        groups=groups,
        p=KEY_PILLAR,
    )


def coverage_rule(lang: str | None = None) -> str:
    return t(
        "Coverage: assessed units over all units of the same type in the registry of the scope (province "
        "or country, same vintage of the unit list). An assessment is complete when at least {need} of the "
        "{total} indicators have a level; incomplete assessments are counted separately and left out of "
        "every mean, share, band, readiness group and change.",
        lang,
        need=complete_min_indicators(),
        total=catalogue_size(),
    )


def full_move() -> int:
    """Levels between the worst and the best level (red -> green = 2): a move counts every one of them."""
    return LEVEL_RANK[LEVELS[-1]] - LEVEL_RANK[LEVELS[0]]


def change_rule(lang: str | None = None) -> str:
    return t(
        "Change: like with like. The baseline is the latest earlier year with complete assessments of the "
        "same stage in the scope; only units with a complete assessment in both years count, and their "
        "number is given. A level move counts every level: red → yellow and yellow → green are 1 level up, "
        "red → green is {full} levels up (and the same downwards). An indicator can show moves up and down at "
        "the same time; the most declined list is ranked by levels down, not by the net.",
        lang,
        full=full_move(),
    )


def change_note(lang: str | None = None) -> str:
    """The change rule in one line, for the note under a table (the full rule is in the method)."""
    return t(
        "same units in both years; every level counts (red → green = {full} levels).", lang, full=full_move()
    )


def weakest_note(lang: str | None = None) -> str:
    return t(
        "lowest mean score first (ties: more red first); units affected = units below green (red or yellow).",
        lang,
    )


def coverage_note(lang: str | None = None) -> str:
    return t(
        "complete = a level for at least {need} of the {total} indicators; incomplete assessments are counted "
        "apart and left out of the means.",
        lang,
        need=complete_min_indicators(),
        total=catalogue_size(),
    )


def weakest_rule(lang: str | None = None) -> str:
    return t(
        "Weakest indicators: the {n} with the lowest mean score over the complete assessments (ties: more "
        "red first, then catalogue order). Units affected: units whose level for the indicator is below "
        "green (red or yellow), that is below the standard's minimum acceptable level.",
        lang,
        n=WEAKEST_TOP_N,
    )


def rule_lines(lang: str | None = None) -> list[tuple[str, str]]:
    """Every rollout rule as (key, sentence), filled from the values above (never restated by hand)."""
    return [
        ("coverage", coverage_rule(lang)),
        ("change", change_rule(lang)),
        ("weakest", weakest_rule(lang)),
        ("bands", band_rule(lang)),
        ("readiness", readiness_rule(lang)),
    ]
