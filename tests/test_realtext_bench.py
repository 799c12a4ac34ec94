"""The real-text benchmark's files are well-formed (bench/realtext/*.yml, run by bench/realtext.py).

Only the shape of the data is tested here: the recall and precision figures are measured by
``python bench/realtext.py``, never asserted."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
import yaml

from dhr_kit.qa.catalogue import catalogue

BENCH = Path(__file__).resolve().parent.parent / "bench"
PARTS = ("tune", "heldout")
ID = re.compile(r"^(?:proposed:\s*)?DHR-[LAE]\d{3}\b")
MIN_REVIEWS = 15


def sentences(part: str) -> list[dict]:
    data = yaml.safe_load((BENCH / "realtext" / f"{part}.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("sentences"), list), f"{part}.yml: no 'sentences' list"
    return data["sentences"]


@pytest.mark.parametrize("part", PARTS)
def test_every_sentence_is_complete(part: str) -> None:
    items = sentences(part)
    assert items, f"{part}.yml is empty"
    known = set(catalogue())
    for number, item in enumerate(items, 1):
        where = f"{part}.yml sentence {number}"
        assert set(item) <= {"text", "expect", "source", "review", "note", "context"}, f"{where}: unknown field"
        assert item.get("context", "qa-letter") == "qa-letter", f"{where}: context is 'qa-letter' or absent"
        assert isinstance(item.get("text"), str) and item["text"].strip(), f"{where}: no text"
        assert isinstance(item.get("source"), str) and re.match(r"^https?://\S+$", item["source"]), \
            f"{where}: source must be the URL the sentence was modelled on"
        assert isinstance(item.get("review"), str) and re.match(r"^[a-z0-9][a-z0-9-]*$", item["review"]), \
            f"{where}: review must be a short id"
        assert isinstance(item.get("expect"), list), f"{where}: expect must be a list (empty for none)"
        for entry in item["expect"]:
            assert isinstance(entry, str) and ID.match(entry), f"{where}: {entry!r} is not a rule id"
            if not entry.startswith("proposed:"):
                assert entry in known, f"{where}: {entry} is not a rule; write 'proposed: {entry} …'"


def test_reviews_and_parts() -> None:
    by_part = {part: sentences(part) for part in PARTS}
    reviews = {part: {s["review"] for s in items} for part, items in by_part.items()}
    assert not reviews["tune"] & reviews["heldout"], "a review is in both parts: hold out whole reviews"
    real = {r for r in reviews["tune"] | reviews["heldout"] if not r.startswith("src-")}
    assert len(real) >= MIN_REVIEWS, f"only {len(real)} distinct reviews"
    texts = [s["text"] for items in by_part.values() for s in items]
    assert len(texts) == len(set(texts)), "a sentence appears twice"
    for part, items in by_part.items():
        assert any(s["expect"] for s in items) and any(not s["expect"] for s in items), \
            f"{part}: needs sentences that should fire and well-written ones that should not"


def test_runner_runs(capsys: pytest.CaptureFixture) -> None:
    spec = importlib.util.spec_from_file_location("realtext_bench", BENCH / "realtext.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(spec.name, None)
    assert module.main(["--part", "heldout", "--summary"]) == 0
    out = capsys.readouterr().out
    assert "heldout" in out and "precision" in out
