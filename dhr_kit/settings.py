"""dhr-kit's own settings: the `dhr:` block of `_quarto.yml`, as a typed schema (unknown keys are errors)."""
from __future__ import annotations

from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import Problem


class DhrSettings(BaseModel):
    """`dhr:` in `_quarto.yml`. Rule ids and severities under `rules:` are checked by :mod:`dhr_kit.qa.config`
    (they need the rule catalogue)."""

    model_config = ConfigDict(extra="forbid", frozen=True)  # only the documented (hyphenated) spellings

    executive_summary: str | None = Field(None, alias="executive-summary",
                                          description="chapter also written as executive-summary.pdf")
    isolate_chapters: bool = Field(False, alias="isolate-chapters",
                                   description="one kernel per chapter instead of one reused kernel per worker")
    rules: dict[str, Any] | None = Field(None, description="project severity overrides, e.g. {DHR-L012: warning}")
    max_output_mb: float = Field(20, alias="max-output-mb", gt=0,
                                 description="largest published file (web page, PDF, Word copy) in MB (default 20)")


def allowed_keys() -> list[str]:
    return sorted(field.alias or name for name, field in DhrSettings.model_fields.items())


def parse_dhr_settings(raw: Any, file: str, line_of: Callable[[tuple[str, ...]], int | None]) -> tuple[DhrSettings, list[Problem]]:
    """Validate the `dhr:` block; every problem names the file, the line and the allowed keys or values.

    ``line_of(("dhr", key))`` gives the line of a key in ``file``."""
    if raw is None:
        return DhrSettings(), []
    if not isinstance(raw, dict):
        return DhrSettings(), [Problem(file, "`dhr:` must be a mapping of settings", line=line_of(("dhr",)),
                                       key="dhr", fix=f"write settings under it, e.g. `executive-summary: chapters/summary.qmd`; "
                                                      f"allowed keys: {', '.join(allowed_keys())}")]
    try:
        return DhrSettings.model_validate(raw), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            path = tuple(str(part) for part in error["loc"])
            key = "dhr." + ".".join(path)
            line = line_of(("dhr", *path))
            if error["type"] == "extra_forbidden":
                problems.append(Problem(file, f"unknown setting {path[0]!r} under `dhr:`", line=line, key=key,
                                        fix=f"use one of: {', '.join(allowed_keys())} (or remove it)"))
            else:
                problems.append(Problem(file, f"invalid value: {error['msg']}", line=line, key=key,
                                        fix=_fix_for(path[0])))
        return DhrSettings(), problems


def _fix_for(key: str) -> str:
    field = next((f for name, f in DhrSettings.model_fields.items() if (f.alias or name) == key), None)
    what = field.description if field is not None and field.description else "see docs/architecture.md"
    return f"`{key}`: {what}"
