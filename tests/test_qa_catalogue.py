"""The rule catalogue is the only place where a rule's severity and wording live: every rule is
complete there, every helper a rule names exists, and no rule module builds a finding by hand."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import dhr_kit.helpers
from dhr_kit.qa import catalogue as catalogue_module
from dhr_kit.qa.catalogue import (SEVERITIES, CatalogueError, catalogue, finding, load_rule_data, resolve_severity,
                                template_fields)

QA = Path(dhr_kit.helpers.__file__).parents[1] / "qa"
FAMILIES = {"structure", "language", "anonymity", "coverage", "evidence", "publication", "tracker"}
# Modules that may build or change a Finding: the catalogue (wording, draft severity), the data class,
# and the run (which resolves severity through the catalogue).
_MAY_BUILD_FINDINGS = {"catalogue.py", "findings.py"}
_CALL = re.compile(r'\b([a-z][a-z0-9_]*)\((?:\)|")')  # `preface()`, `tor_analysis("ToR1")` in a template


def test_every_rule_is_complete_in_the_catalogue() -> None:
    rules = catalogue()
    assert len(rules) >= 90
    assert {r.family for r in rules.values()} >= FAMILIES
    for info in rules.values():
        assert re.fullmatch(r"DHR-[A-Z]\d{3}", info.id), info.id
        assert info.description.strip(), info.id
        assert info.draft in SEVERITIES and info.publish in SEVERITIES, info.id
        for wording in (info.wording, *info.variants.values()):
            assert wording.message.strip() and wording.suggestion.strip(), info.id


def test_publishing_never_lowers_a_severity() -> None:
    order = {s: i for i, s in enumerate(SEVERITIES)}  # error < warning < info
    assert all(order[r.publish] <= order[r.draft] for r in catalogue().values())


def _named_helpers() -> dict[str, str]:
    """Helper name -> where a rule names it: sections.yml `helpers:` lists and calls in templates."""
    named: dict[str, str] = {}
    layout = load_rule_data("sections.yml")
    for spec in [*layout["sections"], *layout["annexes"].values()]:
        for helper in spec.get("helpers", []):
            named[helper] = f"sections.yml {spec.get('id', spec.get('title'))}"
    for info in catalogue().values():
        for wording in (info.wording, *info.variants.values()):
            for name in _CALL.findall(wording.message + " " + wording.suggestion):
                named[name] = f"{info.id} message or suggestion"
    return named


def test_every_helper_named_in_the_rules_exists() -> None:
    named = _named_helpers()
    assert {"preface", "panel_table", "action_plan", "qa_letter", "tor_analysis"} <= set(named)
    missing = {name: where for name, where in named.items()
               if name not in dhr_kit.helpers.__all__ or not callable(getattr(dhr_kit.helpers, name, None))}
    assert not missing, f"rules name helpers that dhr_kit.helpers does not export: {missing}"


def _rule_modules() -> list[Path]:
    return sorted(p for p in QA.glob("*.py") if p.name not in _MAY_BUILD_FINDINGS)


@pytest.mark.parametrize("module", _rule_modules(), ids=lambda p: p.name)
def test_rule_modules_leave_severity_and_wording_to_the_catalogue(module: Path) -> None:
    """No `Finding(...)` outside the catalogue, and no finding's severity, message or suggestion set
    by hand (run.py sets severity only from resolve_severity)."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Finding":
            problems.append(f"line {node.lineno}: builds a Finding; use catalogue.finding()")
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AugAssign) else []
        for target in targets:
            for element in (target.elts if isinstance(target, ast.Tuple) else [target]):
                if isinstance(element, ast.Attribute) and element.attr in ("severity", "message", "suggestion"):
                    value = node.value
                    from_catalogue = isinstance(value, ast.Call) and getattr(value.func, "id", "") == "resolve_severity"
                    if not from_catalogue:
                        problems.append(f"line {node.lineno}: sets .{element.attr} by hand")
    assert not problems, f"{module.name}: " + "; ".join(problems)


def test_templates_are_filled_from_the_finding() -> None:
    f = finding("DHR-S008", "chapters/03-analysis.qmd", 1, tor="ToR2", title="Information sharing")
    assert (f.severity, f.message) == ("error", "ToR2 ('Information sharing') is not addressed in the analysis")
    assert f.suggestion.endswith('tor_analysis("ToR2")')
    open_point = finding("DHR-Q001", "data/qa_tracker.csv", 2, point_id="QA2", point="x" * 100)
    assert open_point.message.endswith('"' + "x" * 70 + '"')  # {point:.70}
    with pytest.raises(KeyError, match="needs the field"):
        finding("DHR-S008", "chapters/03-analysis.qmd", 1)
    with pytest.raises(KeyError, match="no variant"):
        finding("DHR-S002", "_quarto.yml", 1, variant="nonexistent")
    assert template_fields("the citation @{key} is not in {{the}} bibliography") == {"key"}


@pytest.mark.parametrize("rule_id", sorted(catalogue()))
def test_severity_resolution_follows_the_catalogue(rule_id: str) -> None:
    info = catalogue()[rule_id]
    assert resolve_severity(rule_id, publish=False) == info.draft
    assert resolve_severity(rule_id, publish=True) == info.publish
    strict = resolve_severity(rule_id, publish=True, strict=True)
    assert strict == ("error" if info.publish == "warning" else info.publish)
    assert resolve_severity(rule_id, publish=True, override="info") == "info"


@pytest.mark.parametrize("entry, error", [
    ({"severity": "error", "description": "d", "message": "m", "suggestion": "s"}, "severity must be"),
    ({"severity": {"draft": "error"}, "description": "d", "message": "m", "suggestion": "s"}, "severity must be"),
    ({"severity": {"draft": "fatal", "publish": "error"}, "description": "d", "message": "m", "suggestion": "s"},
     "severity must be"),
    ({"severity": {"draft": "error", "publish": "error"}, "message": "m", "suggestion": "s"}, "needs a description"),
    ({"severity": {"draft": "error", "publish": "error"}, "description": "d", "suggestion": "s"}, "needs a message"),
    ({"severity": {"draft": "error", "publish": "error"}, "description": "d", "message": "see {fig-alt}",
      "suggestion": "s"}, "bad template"),
])
def test_a_malformed_rule_is_reported_with_its_file_and_id(entry: dict, error: str) -> None:
    with pytest.raises(CatalogueError, match=rf"rules/extra.yml: DHR-X001.*{error}"):
        catalogue_module._rule("DHR-X001", "extra", entry, "extra.yml", {})


def test_a_rule_file_may_map_ids_to_entries(tmp_path: Path, monkeypatch) -> None:
    """A family in its own file, as a mapping (the catalogue.yml style) rather than a list."""
    extra = {"family": "length", "rules": {"DHR-X001": {
        "description": "A section is too long", "severity": {"draft": "warning", "publish": "error"},
        "message": "'{section}' has {words} words", "suggestion": "cut it to {limit} words"}}}
    real = catalogue_module.load_rule_data.__wrapped__
    monkeypatch.setattr(catalogue_module, "_rule_files", lambda: ["catalogue.yml", "language.yml", "extra.yml"])
    monkeypatch.setattr(catalogue_module, "load_rule_data", lambda name: extra if name == "extra.yml" else real(name))
    catalogue.cache_clear()
    try:
        info = catalogue()["DHR-X001"]
        assert (info.family, info.draft, info.publish) == ("length", "warning", "error")
        assert finding("DHR-X001", "chapters/08.qmd", 3, section="Chronology", words=4100, limit=1500).message == \
            "'Chronology' has 4100 words"
    finally:
        catalogue.cache_clear()
