"""The engine: scores, hard rules and exact solving, on plain arrays and the people table.

- :mod:`~mentoring.engine.scoring`: the people table into features and vectorised score blocks.
- :mod:`~mentoring.engine.rules`: hard rules as boolean masks, with sentences saying why.
- :mod:`~mentoring.engine.cohort`: a whole cohort scored into one matrix (for small cohorts).
- :mod:`~mentoring.engine.assign`: the exact assignment (:func:`~mentoring.engine.assign.solve`), greedy and an oracle.
- :mod:`~mentoring.engine.certify`: the large-cohort path: candidates, solve, LP-dual certificate.
- :mod:`~mentoring.engine.objectives`: coverage, quality, egalitarian and stable objectives.
- :mod:`~mentoring.engine.goals`: diversity goals solved as a mixed integer program.
- :mod:`~mentoring.engine.circles`: peer pairs and peer circles.
"""

__all__: list[str] = []
