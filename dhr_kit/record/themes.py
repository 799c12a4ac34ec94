"""Themes of QA Panel letter points (rules as data: ``qa_themes.yml``)."""
from __future__ import annotations

import functools
import re
from importlib import resources

import yaml


@functools.cache
def theme_rules() -> dict[str, tuple[str, re.Pattern[str]]]:
    """theme id -> (label, compiled pattern of its words)."""
    data = yaml.safe_load(resources.files(__package__).joinpath("qa_themes.yml").read_text(encoding="utf-8"))
    return {key: (value["label"], re.compile(r"\b(?:" + "|".join(re.escape(w) for w in value["words"]) + ")",
                                             re.IGNORECASE))
            for key, value in data.items()}


def themes_of(point: str) -> list[str]:
    """Every theme whose words occur in ``point``; ['other'] when none does."""
    found = [key for key, (_, pattern) in theme_rules().items() if pattern.search(point)]
    return found or ["other"]


def theme_label(key: str) -> str:
    return theme_rules().get(key, ("Other",))[0]
