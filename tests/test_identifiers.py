"""Identifying contact details in other spellings (tests/fixtures/names/identifiers.yml)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dhr_kit.qa.anonymity import scan_identifiers

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "names" / "identifiers.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_contact_detail_spellings(case: dict) -> None:
    text = case["text"]
    assert [[hit.rule, text[hit.start:hit.end]] for hit in scan_identifiers(text)] == case["found"]
