"""The catalogue of every rule: id, default severity, short description (for SARIF and summaries).

Rules of the language family are data (``rules/language.yml``); the other families declare theirs in
``rules/catalogue.yml``. Both are read once per process.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class RuleInfo:
    id: str
    severity: str
    description: str
    family: str


def load_rule_data(name: str) -> Any:
    """A YAML file shipped in ``dhr_kit/qa/rules``."""
    text = resources.files("dhr_kit.qa").joinpath("rules", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def catalogue() -> dict[str, RuleInfo]:
    rules: dict[str, RuleInfo] = {}
    for family, entries in load_rule_data("catalogue.yml").items():
        for rule_id, entry in entries.items():
            rules[rule_id] = RuleInfo(rule_id, entry["severity"], entry["description"], family)
    for rule_id, entry in load_rule_data("length.yml")["rules"].items():
        rules[rule_id] = RuleInfo(rule_id, entry["severity"], entry["description"], "length")
    for entry in load_rule_data("language.yml")["rules"]:
        rules[entry["id"]] = RuleInfo(entry["id"], entry["severity"], entry["message"], "language")
    return rules


def rule(rule_id: str) -> RuleInfo:
    return catalogue()[rule_id]
