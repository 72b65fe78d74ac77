"""Checks: the independent audit of any assignment, re-derived from the people table alone."""

__all__: list[str] = []
