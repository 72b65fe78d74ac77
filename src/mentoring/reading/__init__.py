"""Reading: bytes into tables, columns into fields, answers into the people table.

- :mod:`~mentoring.reading.ingest`: files (CSV, XLSX, encodings, sheets, header rows) into raw tables of text.
- :mod:`~mentoring.reading.mapping`: question headers into fields; multi-select answers into tags.
- :mod:`~mentoring.reading.values`: one answer into a value (capacity, years, time zone, role...).
- :mod:`~mentoring.reading.loader`: raw tables into the people table, with every problem as an issue.
- :mod:`~mentoring.reading.rows`: one table's rows into member rows, each distinct answer read once.
- :mod:`~mentoring.reading.history`: past match files into history and a plan for this cohort.
- :mod:`~mentoring.reading.synthetic`: seeded random cohorts for tests and benchmarks.
"""

__all__: list[str] = []
