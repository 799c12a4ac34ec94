"""Real-text benchmark: dhr-kit's language, anonymity and evidence checks on sentences modelled on
published Domestic Homicide Reviews and Home Office QA Panel letters (bench/realtext/*.yml).

    python bench/realtext.py [--part tune|heldout|all] [--summary] [--json FILE] [--via paragraph|check]

Each sentence is checked as one paragraph of a chapter. ``--via paragraph`` (the default) calls the
document-level functions that ``dhr check`` runs on every chapter (so Markdown scoping applies: block
quotes, ``{.quote}`` spans…): ``lint_segments`` (DHR-L), ``segment_identifier_findings`` (DHR-A,
publish mode) and ``claim_findings`` (DHR-E001). ``--via check`` instead appends every sentence, as a
paragraph, to a chapter of the QA test fixture review (tests/fixtures/qa/_base) and runs
``dhr_kit.qa.check(project, publish=True)`` on it, mapping findings back by line: slower, but the whole
``dhr check`` path (suppressions, overrides, de-duplication). The deny-list rule (DHR-A001) is out of
scope (no names file), and so is citation-key resolution (DHR-E002).

Sentences marked ``context: qa-letter`` are text of a Home Office QA Panel letter (its letterhead,
address block or points): they are checked as the letter's annex is, by ``dhr_kit.qa.letter.letter_findings``
(``--via check`` appends them to the chapter like any other sentence).

Scores are per rule id: an expected id that is found is a hit, one that is not found is a miss, a
found id that was not expected is a false positive. A ``proposed:`` id (a rule that does not exist
yet) is always a miss. Recall and precision are printed per family (L, A, E) and overall, for each
part, followed by every miss and false positive. The figures are measured, not asserted.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "realtext"
PARTS = ("tune", "heldout")
FAMILIES = {"L": "language", "A": "anonymity", "E": "evidence"}
FILE = "chapters/realtext.qmd"
_EXPECT = re.compile(r"^\s*(?P<proposed>proposed:\s*)?(?P<id>DHR-(?P<family>[A-Z])\d{3})\b\s*(?P<note>.*)$")

if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))


@dataclass
class Sentence:
    part: str
    index: int
    text: str
    expect: list[str]  # rule ids; proposed ones as "proposed:DHR-X999"
    source: str
    review: str
    note: str = ""
    context: str = ""  # "qa-letter": text of a Home Office QA Panel letter (letterhead, address block, points)
    got: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def parse_expect(entry: str) -> tuple[str, str, bool]:
    """'DHR-L003' or 'proposed: DHR-A010 what it would catch' -> (key, family letter, proposed)."""
    match = _EXPECT.match(str(entry))
    if not match:
        raise ValueError(f"not a rule id or 'proposed: DHR-X999 …': {entry!r}")
    proposed = bool(match["proposed"])
    return (f"proposed:{match['id']}" if proposed else match["id"]), match["family"], proposed


def load(part: str) -> list[Sentence]:
    data = yaml.safe_load((DATA / f"{part}.yml").read_text(encoding="utf-8")) or {}
    out = []
    for index, item in enumerate(data.get("sentences") or [], 1):
        out.append(Sentence(part, index, item["text"], [parse_expect(e)[0] for e in item.get("expect") or []],
                            item["source"], item["review"], item.get("note", ""), item.get("context", "")))
    return out


def check_sentence(text: str, context: str = "") -> list:
    """Findings of the L/A/E checks for one paragraph, exactly as ``dhr check`` computes them for a
    chapter (publish mode), or for a QA letter's annex (``context: qa-letter``)."""
    if context == "qa-letter":
        from dhr_kit.qa.letter import letter_findings

        return [f for f in letter_findings(text) if f.rule[4:5] in FAMILIES and f.rule != "DHR-L000"]
    from dhr_kit.qa.anonymity import segment_identifier_findings
    from dhr_kit.qa.document import parse_document
    from dhr_kit.qa.evidence import claim_findings
    from dhr_kit.qa.language import lint_segments

    doc = parse_document(text.rstrip("\n") + "\n", FILE)
    found = lint_segments(FILE, doc.prose)
    found += segment_identifier_findings(FILE, doc.segments)
    found += claim_findings(FILE, [s for s in doc.segments if s.kind == "prose"])
    return [f for f in found if f.rule[4:5] in FAMILIES and f.rule != "DHR-L000"]


BASE = ROOT / "tests" / "fixtures" / "qa" / "_base"
HOST_CHAPTER = "chapters/02-facts.qmd"


def check_via_project(sentences: list[Sentence]) -> None:
    """Fill ``got``/``messages`` of every sentence by running ``dhr check`` (publish) on a copy of the
    fixture review with the sentences appended, one paragraph each, to one chapter."""
    import shutil
    import tempfile

    from dhr_kit.qa import check

    with tempfile.TemporaryDirectory(prefix="dhr-realtext-") as tmp:
        project = Path(tmp) / "review"
        shutil.copytree(BASE, project)
        chapter = project / HOST_CHAPTER
        lines = chapter.read_text(encoding="utf-8").rstrip("\n").split("\n")
        owner: dict[int, Sentence] = {}
        for s in sentences:
            lines.append("")
            for line in s.text.rstrip("\n").split("\n"):
                lines.append(line)
                owner[len(lines)] = s
        chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = check(project, publish=True)
    found: dict[int, list] = defaultdict(list)
    for f in result.findings:
        if f.file == HOST_CHAPTER and f.line in owner and f.rule[4:5] in FAMILIES and f.rule != "DHR-L000":
            found[id(owner[f.line])].append(f)
    for s in sentences:
        s.got = sorted({f.rule for f in found[id(s)]})
        s.messages = [f"{f.rule}: {f.message}" for f in found[id(s)]]


def family_of(key: str) -> str:
    return key.split(":")[-1][4]


@dataclass
class Tally:
    hits: int = 0
    misses: int = 0
    missing_rule: int = 0  # misses whose id is only proposed
    false_positives: int = 0

    @property
    def recall(self) -> float | None:
        total = self.hits + self.misses
        return self.hits / total if total else None

    @property
    def recall_existing(self) -> float | None:
        total = self.hits + self.misses - self.missing_rule
        return self.hits / total if total else None

    @property
    def precision(self) -> float | None:
        total = self.hits + self.false_positives
        return self.hits / total if total else None


def score(sentences: list[Sentence]) -> dict[str, Tally]:
    tallies = {name: Tally() for name in [*FAMILIES, "all"]}
    for s in sentences:
        expected, got = set(s.expect), set(s.got)
        for key in expected:
            for name in (family_of(key), "all"):
                if key in got:
                    tallies[name].hits += 1
                else:
                    tallies[name].misses += 1
                    tallies[name].missing_rule += key.startswith("proposed:")
        for key in got - expected:
            for name in (family_of(key), "all"):
                tallies[name].false_positives += 1
    return tallies


def where(s: Sentence) -> str:
    return f"{s.review}, {s.context}" if s.context else s.review


def pct(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.2f}"


def report(part: str, sentences: list[Sentence], summary: bool) -> dict:
    tallies = score(sentences)
    clean = [s for s in sentences if not s.expect]
    noisy = [s for s in clean if s.got]
    reviews = sorted({s.review for s in sentences})
    print(f"\n=== {part}: {len(sentences)} sentences from {len(reviews)} reviews/sources "
          f"({len(clean)} expected clean, {len(noisy)} of them drew a finding)")
    print(f"{'family':<12}{'expected':>9}{'hits':>6}{'misses':>8}{'(no rule)':>10}{'FP':>5}"
          f"{'recall':>8}{'recall*':>9}{'precision':>10}")
    for name, tally in tallies.items():
        label = FAMILIES.get(name, "overall")
        print(f"{label:<12}{tally.hits + tally.misses:>9}{tally.hits:>6}{tally.misses:>8}{tally.missing_rule:>10}"
              f"{tally.false_positives:>5}  {pct(tally.recall)}  {pct(tally.recall_existing)}   {pct(tally.precision)}")
    print("recall* = recall on expected ids that exist as rules today (proposed ids left out)")
    if not summary:
        misses = defaultdict(list)
        false_positives = defaultdict(list)
        for s in sentences:
            for key in sorted(set(s.expect) - set(s.got)):
                misses[key].append(s)
            for key in sorted(set(s.got) - set(s.expect)):
                false_positives[key].append(s)
        print(f"\n--- {part}: misses (expected, not found), by expected rule")
        for key in sorted(misses, key=lambda k: (-len(misses[k]), k)):
            print(f"{key}  ({len(misses[key])})")
            for s in misses[key]:
                print(f"    [{where(s)}] {s.text}\n        expected {s.expect or '[]'}; got {s.got or '[]'}")
        print(f"\n--- {part}: false positives (found, not expected), by rule")
        for key in sorted(false_positives, key=lambda k: (-len(false_positives[k]), k)):
            print(f"{key}  ({len(false_positives[key])})")
            for s in false_positives[key]:
                detail = "; ".join(m for m in s.messages if m.startswith(key))
                print(f"    [{where(s)}] {s.text}\n        expected {s.expect or '[]'}; got {s.got}  <- {detail}")
    return {name: {"hits": t.hits, "misses": t.misses, "missing_rule": t.missing_rule,
                   "false_positives": t.false_positives, "recall": t.recall,
                   "recall_existing_rules": t.recall_existing, "precision": t.precision}
            for name, t in tallies.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=[*PARTS, "all"], default="all")
    parser.add_argument("--summary", action="store_true", help="print the figures only, not each miss")
    parser.add_argument("--json", metavar="FILE", help="also write figures and per-sentence results as JSON")
    parser.add_argument("--via", choices=("paragraph", "check"), default="paragraph",
                        help="check each sentence alone (default) or all of them through dhr check on a fixture review")
    args = parser.parse_args(argv)
    parts = PARTS if args.part == "all" else (args.part,)
    started = time.perf_counter()
    import dhr_kit.qa  # noqa: F401  (imports are timed separately from the checks)

    imported = time.perf_counter()
    results: dict = {"parts": {}, "sentences": []}
    for part in parts:
        sentences = load(part)
        if args.via == "check":
            check_via_project(sentences)
        for s in sentences if args.via == "paragraph" else ():
            found = check_sentence(s.text, s.context)
            s.got = sorted({f.rule for f in found})
            s.messages = [f"{f.rule}: {f.message}" for f in found]
        results["parts"][part] = report(part, sentences, args.summary)
        results["sentences"] += [{"part": s.part, "review": s.review, "text": s.text, "expect": s.expect,
                                  "got": s.got, "source": s.source, "context": s.context} for s in sentences]
    print(f"\n(import {imported - started:.2f} s, checks {time.perf_counter() - imported:.2f} s, via {args.via})")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
