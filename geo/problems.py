"""Problems found while loading boundaries: values with a stable code, like core/problems.py.

The codes and templates live here (not in core/problems.py) because they belong to the boundary
pipeline; the value type and its bilingual messages are core's ``Problem``.
"""

from __future__ import annotations

from core.problems import Problem, Severity, problem
from i18n import N_

# code -> (default severity, message template). Codes are an API: never rename one.
MESSAGES: dict[str, tuple[Severity, str]] = {
    "geo-file-unreadable": (
        "error",
        N_(
            "'{value}' could not be read as a boundary file ({reason}). Expected GeoJSON, GeoPackage or a zipped Shapefile."
        ),
    ),
    "geo-file-missing": ("error", N_("The file '{value}' does not exist.")),
    "geo-no-geometry": (
        "error",
        N_("'{value}' holds no polygons, so it is not a boundary file. Expected areas (polygons) of units."),
    ),
    "geo-no-crs": (
        "warning",
        N_("The file states no coordinate system; its coordinates look like longitude/latitude (EPSG:4326)."),
    ),
    "geo-unknown-crs": (
        "error",
        N_(
            "The file states no coordinate system and its coordinates are not longitude/latitude; save it with its coordinate system (.prj) and load it again."
        ),
    ),
    "geo-repaired": ("warning", N_("{count} invalid geometries were repaired: {names}.")),
    "geo-empty-geometry": ("warning", N_("Feature {index} ('{value}') has no usable area; it was skipped.")),
    "geo-no-name": (
        "error",
        N_(
            "No name or code property was found. Expected a property such as 'code' / 'ma' (GSO code) or 'name' / 'ten' / 'shapeName'."
        ),
    ),
    "geo-unmatched-feature": (
        "warning",
        N_("Feature {index} ('{value}') is not a {level} unit{within}. Closest names: {suggestions}."),
    ),
    "geo-ambiguous-feature": (
        "warning",
        N_(
            "Feature {index} ('{value}') matches several units: {candidates}. Add a GSO code property to the file."
        ),
    ),
    "geo-name-without-diacritics": (
        "warning",
        N_("Feature {index} ('{value}') was matched to {unit} only after ignoring diacritics."),
    ),
    "geo-code-name-mismatch": (
        "warning",
        N_(
            "Feature {index}: the code {gso} is {unit}, but the feature is named '{value}'; the code was used."
        ),
    ),
    "geo-merged-parts": ("warning", N_("{count} features were merged into {unit} (parts of one unit).")),
    "geo-elsewhere": (
        "warning",
        N_(
            "Feature {index} ('{value}') has the name of {unit} but lies far from the other units; it was left out."
        ),
    ),
    "geo-outside-scope": (
        "warning",
        N_("{count} features belong to other provinces or levels and were left out."),
    ),
    "geo-unit-missing": ("warning", N_("{count} units have no boundary in the file: {units}.")),
    "geo-nothing-matched": (
        "error",
        N_("No feature of '{value}' matches a {level} unit{within}; nothing was loaded."),
    ),
    "geo-coverage-gaps": (
        "warning",
        N_(
            "Borders of neighbouring units do not line up exactly in the file, so each unit was simplified on its own."
        ),
    ),
    "geo-duplicate-file": ("warning", N_("This file is already the current {level} layer; nothing changed.")),
    "geo-offline": (
        "error",
        N_(
            "Could not download {url} ({reason}). This computer seems to be offline or the address is wrong. Download the file on a connected computer and load it with: python -m geo load FILE"
        ),
    ),
    "geo-bad-download": ("error", N_("The download from {url} is not a boundary file ({reason}).")),
}


def geo_problem(
    code: str,
    *,
    file: str | None = None,
    index: int | None = None,
    value: object = None,
    severity: Severity | None = None,
    **kwargs: object,
) -> Problem:
    """A boundary problem; ``index`` is the 1-based feature number shown as the location."""
    cell = f"#{index}" if index is not None else None
    return problem(
        code,
        sheet=file,
        cell=cell,
        value=value,
        severity=severity,
        messages=MESSAGES,
        index=index or "",
        **kwargs,
    )


# How a level is named inside messages (read in both languages).
LEVEL_WORDS: dict[str, str] = {"district": "quận/huyện (district)", "commune": "phường/xã/thị trấn (commune)"}


class GeoError(Exception):
    """A boundary file or download that cannot be used; carries the problems that say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message_en for p in problems))
        self.problems = problems
