"""Pieces several views share: the scope's name, pillar names, the 'compared with' sentence."""

from __future__ import annotations

from i18n import t, tn
from query import results
from query import units as uq
from query.scope import Scope
from ui import labels
from ui.data import cached


def unit_name(locality_id: str | None) -> str:
    info = cached(uq.unit_info, locality_id) if locality_id else None
    return str(info["name_with_type"]) if info else (locality_id or "–")


def scope_label(scope: Scope) -> str:
    """'Cả nước', 'Thành phố Hải Phòng', 'Quận Lê Chân, Thành phố Hải Phòng', with the unit type."""
    if scope.national:
        text = t("Whole country")
    elif scope.district:
        text = f"{unit_name(scope.district)}, {unit_name(scope.province)}"
    else:
        text = unit_name(scope.province)
    if scope.unit_type:
        text += f" · {labels.unit_type(scope.unit_type)}"
    return text


def pillar_names(short: bool = False) -> dict[int, str]:
    return labels.pillar_names(cached(results.pillars), short=short)


def compared_sentence(head: dict[str, object]) -> str:
    """What the changes compare: 'Changes against 2022 over the 11 units assessed in both years;
    1 unit assessed only in 2023 is not compared.'"""
    comp = head.get("compare")
    if not comp:
        return t("No earlier year is loaded for this scope and stage, so no change is shown.")
    text = tn(
        "Changes are against {previous}, over the {n} unit assessed in both years.",
        "Changes are against {previous}, over the {n} units assessed in both years.",
        int(comp["units"]),  # type: ignore[index]
        previous=head["previous_year"],
    )
    if comp["new"]:  # type: ignore[index]
        text += " " + tn(
            "{n} unit assessed only in {year} is not compared.",
            "{n} units assessed only in {year} are not compared.",
            int(comp["new"]),  # type: ignore[index]
            year=head["year"],
        )
    if comp["dropped"]:  # type: ignore[index]
        text += " " + tn(
            "{n} unit assessed only in {previous} is left out.",
            "{n} units assessed only in {previous} are left out.",
            int(comp["dropped"]),  # type: ignore[index]
            previous=head["previous_year"],
        )
    return text
