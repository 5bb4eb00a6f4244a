"""Boundaries: read the user's boundary files, match them to the unit registry, store them.

The project loads boundaries, it does not ship them: the official files belong to the user
(city GIS office, or an open dataset they download with ``python -m geo fetch``).
"""
