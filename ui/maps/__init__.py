"""Map figures, split by job:

- ``measures``: what a map colours by, its colour scales and hover text;
- ``frame``: the geo subplot, names, legend, inset and bottom stack every geo map shares;
- ``choropleth``: the 2020-2023 district-level units and pilot communes (boundaries loaded);
- ``schematic``: the tile map shown when no boundaries are loaded;
- ``reform``: the 2025 map (2025 units coloured by the results carried onto them);
- ``export``: offline plumbing (the shipped topojson) and the PNG export.

Geometry helpers (ring orientation, bounds, outliers, the inset's corner) are geo/shapes.py.
The names pages use are re-exported here.
"""

from __future__ import annotations

from ui.maps.choropleth import choropleth
from ui.maps.export import TOPOJSON_DIR, TOPOJSON_URL, figure_png, geo_config
from ui.maps.frame import hide_names_on_phones, sources_text
from ui.maps.measures import (
    LAYER_LEVELS,
    NO_DATA,
    NO_DATA_LABEL,
    Measure,
    measure,
    measure_options,
)
from ui.maps.reform import (
    REFORM_MEASURES,
    carried_table,
    reform_map,
    reform_measure,
    reform_measure_options,
    rule_caption,
    status_counts,
)
from ui.maps.schematic import schematic, schematic_layout

__all__ = [
    "LAYER_LEVELS",
    "NO_DATA",
    "NO_DATA_LABEL",
    "REFORM_MEASURES",
    "TOPOJSON_DIR",
    "TOPOJSON_URL",
    "Measure",
    "carried_table",
    "choropleth",
    "figure_png",
    "geo_config",
    "hide_names_on_phones",
    "measure",
    "measure_options",
    "reform_map",
    "reform_measure",
    "reform_measure_options",
    "rule_caption",
    "schematic",
    "schematic_layout",
    "sources_text",
    "status_counts",
]
