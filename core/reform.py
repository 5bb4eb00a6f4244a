"""How results assessed on the 2020-2023 units are shown on the units of the 2025 reform.

The reform merged communes and abolished districts (2025-07-01). A result belongs to the unit that
was assessed; nothing here changes it. For the "2025 map" a new unit gets a DERIVED figure by this
rule, and every figure says which kind it is:

- ``assessed``: the new unit has its own assessment for that year and stage; it is used as is.
- ``derived``: every predecessor of the new unit (its 2020-2023 communes, and a district that had
  no communes, such as Bạch Long Vĩ) was assessed and lies WHOLE in it: the mean of the
  predecessors' scores, each predecessor weighing the same (the crosswalk carries no population or
  area shares, so no weighting is claimed).
- ``partial``: some predecessors were assessed, or one of them lies only PARTLY in the new unit:
  the mean of the assessed predecessors, shown with the share of predecessors it covers; drawn only
  when that share reaches ``RULE.min_coverage``.
- ``none``: no predecessor was assessed.

A district's own assessment (UBND quận/huyện) is the district government's, which the reform
abolished; it is not carried onto the communes unless ``RULE.carry_districts`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from i18n import t

STATUSES: tuple[str, ...] = ("assessed", "derived", "partial", "none")


@dataclass(frozen=True)
class CarryRule:
    min_coverage: float = (
        0.0  # a partial figure is drawn when at least this share of predecessors was assessed
    )
    carry_districts: bool = (
        False  # also count an assessed district as a predecessor of its communes' successors
    )


RULE = CarryRule()


def rule_lines(lang: str, rule: CarryRule = RULE) -> list[str]:
    """The rule in sentences for the Method page and the map's caption (from the values above)."""
    lines = [
        t("A new unit with its own assessment shows it (assessed).", lang),
        t(
            "A new unit formed wholly from 2020-2023 communes that were all assessed shows the mean of their "
            "scores, each commune weighing the same (derived).",
            lang,
        ),
        t(
            "If only some predecessors were assessed, or a predecessor lies only partly in the new unit, the "
            "mean of the assessed ones is shown as partial, with the share of predecessors it covers.",
            lang,
        ),
        t("A new unit none of whose predecessors was assessed has no figure.", lang),
    ]
    if rule.min_coverage > 0:
        lines.append(
            t(
                "Partial figures covering less than {share} of the predecessors are not drawn.",
                lang,
                share=f"{rule.min_coverage:.0%}",
            )
        )
    lines.append(
        t(
            "District governments' own assessments are carried onto the new units too.",
            lang,
        )
        if rule.carry_districts
        else t(
            "A district's own assessment (the district government, abolished by the reform) is not carried "
            "onto the new units.",
            lang,
        )
    )
    return lines
