"""Which reviews make up the portfolio: folders (or record files) on the command line, or ``portfolio.yml``.

``portfolio.yml`` (in the current folder, or given with ``--config``)::

    title: Calderbrook Community Safety Partnership — DHR action plans   # optional
    reviews:                                                            # folders or exported records
      - reviews/anna
      - reviews/2023-01
      - records/review-3.json
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..denylist import DenyList
from ..errors import InputError, Problem
from ..record import build_record, check_record

CONFIG_NAME = "portfolio.yml"


@dataclass(frozen=True)
class PortfolioSources:
    title: str
    paths: tuple[Path, ...]


def read_config(path: Path) -> PortfolioSources:
    """``portfolio.yml``: its title and review paths (relative to the file's folder)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(Problem(str(path), "is not valid YAML", line=mark.line + 1 if mark else None,
                                 fix="check the indentation and the ':' after each key")) from None
    reviews = data.get("reviews") if isinstance(data, dict) else None
    if not isinstance(reviews, list) or not reviews or not all(isinstance(r, str) for r in reviews):
        raise InputError(Problem(str(path), "needs a list of review folders", key="reviews",
                                 fix="write `reviews:` followed by one `- path/to/review` line per review"))
    title = str(data.get("title") or "Domestic Homicide Review action plans")
    return PortfolioSources(title, tuple(path.parent / r for r in reviews))


def resolve(paths: list[Path], config: Path | None) -> PortfolioSources:
    """The reviews named on the command line, else those of the config file (default ./portfolio.yml)."""
    if paths:
        return PortfolioSources("Domestic Homicide Review action plans", tuple(paths))
    config = config or Path(CONFIG_NAME)
    if not config.is_file():
        raise InputError(Problem(str(config), "no review folders were given and there is no portfolio file",
                                 fix=f"run `dhr portfolio DIR …` with the review folders, or write {CONFIG_NAME} "
                                     "listing them (see the README, Portfolio)"))
    return read_config(config)


def load_record(path: Path, names: DenyList | None) -> dict[str, Any]:
    """One review's record: built from a review folder, or read from an exported record (.json); checked."""
    if path.suffix.lower() == ".json":
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(Problem(str(path), "the record file does not exist",
                                     fix="check the path, or write it with `dhr export DIR -o FILE`")) from None
        except json.JSONDecodeError as exc:
            raise InputError(Problem(str(path), f"is not valid JSON: {exc.msg}", line=exc.lineno,
                                     fix="write it again with `dhr export`")) from None
    else:
        if not (path / "data").is_dir():
            raise InputError(Problem(str(path), "is not a review folder (it has no data/ folder)",
                                     fix="give the folder that holds _quarto.yml and data/"))
        from ..loader import load_review

        record = build_record(load_review(path))
    check_record(record, str(path), names)
    return record
