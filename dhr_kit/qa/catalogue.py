"""The catalogue of every rule, read from ``rules/*.yml``: id, family, description, severity when
drafting and when publishing, and the message and suggestion templates (with named variants).

Rule modules only detect: they call :func:`finding` with the rule id, the place and the template
fields. Wording comes from the templates; severity is set here from the draft column and replaced by
the publish column, the project's overrides and ``--strict`` in :func:`resolve_severity` when a run
finalises its findings. The format is documented in ``docs/rules.md``.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .findings import Finding

SEVERITIES = ("error", "warning", "info")
CATALOGUE_FILE = "catalogue.yml"
_RESERVED = {"contexts"}  # top-level keys of catalogue.yml that are not families


@dataclass(frozen=True)
class Wording:
    message: str
    suggestion: str = ""


@dataclass(frozen=True)
class RuleInfo:
    id: str
    family: str
    description: str
    draft: str  # severity while drafting
    publish: str  # severity with --publish
    wording: Wording
    variants: dict[str, Wording] = field(default_factory=dict)

    @property
    def severity(self) -> str:
        """The default (draft) severity, e.g. for SARIF's defaultConfiguration."""
        return self.draft

    def severity_for(self, publish: bool) -> str:
        return self.publish if publish else self.draft

    def wording_of(self, variant: str | None) -> Wording:
        if variant is None:
            return self.wording
        if variant not in self.variants:
            raise KeyError(f"{self.id} has no variant {variant!r} in the rule catalogue")
        return self.variants[variant]


@dataclass(frozen=True)
class Where:
    """Where a finding was seen (e.g. " (PDF page 3)"), appended to its message and suggestion."""

    message: str = ""
    suggestion: str = ""


class CatalogueError(ValueError):
    """A rule file in ``dhr_kit/qa/rules`` is malformed (a defect of the package, not of a review)."""


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster


@cache
def load_rule_data(name: str) -> Any:
    """A YAML file shipped in ``dhr_kit/qa/rules``, parsed once per process (treat it as read-only)."""
    text = resources.files("dhr_kit.qa").joinpath("rules", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)


def _rule_files() -> list[str]:
    folder = resources.files("dhr_kit.qa").joinpath("rules")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".yml", ".yaml")))


def template_fields(template: str) -> set[str]:
    """The names a template fills in ({name} or {name:.60})."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _wording(where: str, entry: dict, defaults: dict) -> Wording:
    message = entry.get("message", defaults.get("message"))
    suggestion = entry.get("suggestion", defaults.get("suggestion", ""))
    if not isinstance(message, str) or not message.strip() or not isinstance(suggestion, str):
        raise CatalogueError(f"{where}: needs a message and a suggestion (strings)")
    for template in (message, suggestion):
        try:
            names = template_fields(template)
        except ValueError as err:
            names, problem = set(), str(err)
        else:
            odd = sorted(n for n in names if not n.isidentifier())
            problem = f"{odd[0]!r} is not a field name" if odd else ""
        if problem:
            raise CatalogueError(f"{where}: bad template {template!r} ({problem}); "
                                 "write a literal brace as {{ or }}")
    return Wording(message, suggestion)


def _rule(rule_id: str, family: str, entry: dict, source: str, defaults: dict) -> RuleInfo:
    where = f"rules/{source}: {rule_id}"
    severity = entry.get("severity")
    if not isinstance(severity, dict) or set(severity) != {"draft", "publish"} \
            or not all(v in SEVERITIES for v in severity.values()):
        raise CatalogueError(f"{where}: severity must be {{draft: S, publish: S}} "
                             f"with S one of {', '.join(SEVERITIES)}")
    if not str(entry.get("description") or "").strip():
        raise CatalogueError(f"{where}: needs a description")
    base = _wording(where, entry, defaults)
    variants = {}
    for name, variant in (entry.get("variants") or {}).items():
        variants[name] = _wording(f"{where} variant {name}", {"suggestion": base.suggestion, **variant}, {})
    return RuleInfo(rule_id, family, entry["description"], severity["draft"], severity["publish"], base, variants)


@cache
def catalogue() -> dict[str, RuleInfo]:
    """Every rule by id: the families of catalogue.yml, then each rule file with `rules:` (a list of
    entries with an `id`, or a mapping of id to entry); the file's `family:` names the family."""
    rules: dict[str, RuleInfo] = {}

    def add(info: RuleInfo, source: str) -> None:
        if info.id in rules:
            raise CatalogueError(f"rules/{source}: {info.id} is already defined")
        rules[info.id] = info

    for family, entries in load_rule_data(CATALOGUE_FILE).items():
        if family not in _RESERVED:
            for rule_id, entry in entries.items():
                add(_rule(rule_id, family, entry, CATALOGUE_FILE, {}), CATALOGUE_FILE)
    for name in _rule_files():
        data = load_rule_data(name)
        if name == CATALOGUE_FILE or not isinstance(data, dict) or not isinstance(data.get("rules"), (list, dict)):
            continue
        family = data.get("family") or name.rsplit(".", 1)[0]
        entries = data["rules"] if isinstance(data["rules"], list) else \
            [{"id": rule_id, **entry} for rule_id, entry in data["rules"].items()]
        for entry in entries:
            add(_rule(entry["id"], family, entry, name, data.get("defaults") or {}), name)
    return rules


def rule(rule_id: str) -> RuleInfo:
    return catalogue()[rule_id]


@cache
def _contexts() -> dict[str, Wording]:
    return {name: Wording(entry["message"], entry.get("suggestion", ""))
            for name, entry in (load_rule_data(CATALOGUE_FILE).get("contexts") or {}).items()}


def _fill(template: str, rule_id: str, fields: dict[str, Any]) -> str:
    try:
        return template.format_map(fields)
    except KeyError as err:
        raise KeyError(f"{rule_id}: the catalogue template {template!r} needs the field {err}") from None


def where(context: str, **fields: Any) -> Where:
    """A context of catalogue.yml (`contexts:`), filled in: e.g. ``where("pdf_page", page=3)``."""
    wording = _contexts()[context]
    return Where(_fill(wording.message, context, fields), _fill(wording.suggestion, context, fields))


def finding(rule_id: str, file: str, line: int, column: int = 1, *, variant: str | None = None,
            at: Where | None = None, **fields: Any) -> Finding:
    """A finding of ``rule_id`` worded by the catalogue; its severity is the draft one until the run
    resolves it (:func:`resolve_severity`)."""
    info = rule(rule_id)
    wording = info.wording_of(variant)
    fields = {"description": info.description, **fields}
    message = _fill(wording.message, rule_id, fields)
    suggestion = _fill(wording.suggestion, rule_id, fields)
    if at is not None:
        message += at.message
        if suggestion:
            suggestion += at.suggestion
    return Finding(rule_id, info.draft, file, line, column, message, suggestion)


def resolve_severity(rule_id: str, *, publish: bool, override: str | None = None, strict: bool = False,
                     current: str = "warning") -> str:
    """The severity a finding carries: the catalogue's (draft or publish), or the project's override;
    ``--strict`` turns a warning into an error. A rule missing from the catalogue keeps ``current``."""
    info = catalogue().get(rule_id)
    severity = override or (info.severity_for(publish) if info else current)
    return "error" if strict and severity == "warning" else severity
