"""Outputs: reasons, counterfactuals, fairness reports, exports and graphs for people to read."""

__all__: list[str] = []
