"""The coordinator's review app: one module per page, plus the pieces they share."""

__all__: list[str] = []
