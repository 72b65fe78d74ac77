"""The coordinator's review app: one module per page, plus the pieces they share."""

__all__ = ["PAGES"]

PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("Program", "program", "program", ":material/folder_open:"),
    ("Upload", "upload", "upload", ":material/upload_file:"),
    ("Map and fix", "mapping", "map", ":material/table_edit:"),
    ("Settings", "settings", "settings", ":material/tune:"),
    ("Review", "review", "review", ":material/checklist:"),
    ("Insights", "insights", "insights", ":material/insights:"),
    ("Export", "export", "export", ":material/download:"),
)
"""The sidebar, in the order a coordinator works: title, module in ``ui``, URL path, icon."""
