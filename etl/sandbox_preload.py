"""Imported by the fork server of the parse workers (etl/sandbox.py), so each worker starts warm."""

from etl.sandbox import _warm

_warm()
