"""The durable store (SQLite): programs, members, settings, runs and decisions.

- :mod:`~mentoring.store.db`: :class:`~mentoring.store.db.Store`, one call per user action.
- :mod:`~mentoring.store.base`: the plumbing under it (connection, transaction, retries).
- :mod:`~mentoring.store.programs`, :mod:`~mentoring.store.members`,
  :mod:`~mentoring.store.runs`, :mod:`~mentoring.store.decisions`: its calls, one concept each.
- :mod:`~mentoring.store.records`: the records it returns and the errors it raises.
- :mod:`~mentoring.store.schema`: the schema, its migrations and the default file location.
- :mod:`~mentoring.store.codec`: tables and settings to JSON and back (never pickle).
- :mod:`~mentoring.store.forget`: removing a member everywhere, quoted text included.
- :mod:`~mentoring.store.log`: the decision log written with each change, and fingerprints.
"""

__all__: list[str] = []
