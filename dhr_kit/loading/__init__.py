"""Building blocks of :func:`dhr_kit.loader.load_review`: CSV/XLSX tables with line numbers, dates,
YAML with key-path line lookup, and turning pydantic validation errors into :class:`~dhr_kit.errors.Problem`."""
