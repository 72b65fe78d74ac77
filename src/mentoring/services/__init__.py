"""Services: one function per coordinator action, over the store and the pipeline; the app and its
pages call these and nothing below them.

- :mod:`~mentoring.services.runs`: find matches, re-solve, reassign, restore a run, why-not.
- :mod:`~mentoring.services.members`: member counts, readiness, the column mapping table, past matches.
- :mod:`~mentoring.services.settings`: presets, weight and goal help, adding and removing goals.
- :mod:`~mentoring.services.access`: the sign-in gate's allow-list.
"""

__all__: list[str] = []
