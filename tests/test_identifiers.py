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


def test_postcode_search_finds_what_the_pattern_finds_everywhere():
    """anonymity.postcode_matches tries the postcode pattern only before runs of digits; on random text
    and on the example's chapters it finds exactly what the pattern's own finditer finds."""
    import random
    from pathlib import Path

    from dhr_kit.qa.anonymity import _POSTCODE, postcode_matches

    rnd = random.Random(13)
    texts = [p.read_text(encoding="utf-8") for p in (Path(__file__).parents[1] / "chapters").glob("*.qmd")]
    texts += ["".join(rnd.choice("ABLSWMabclsw0123456789 4th\n,.-") for _ in range(rnd.randint(0, 40)))
              for _ in range(5000)]
    texts += ["LS1 4AP", "ls1 4ap", "m25 4th", "SW1A 1AA", "xSW1A 1AAy", "A1 1AA1B 2CC", "LS11AP LS1 4AP"]
    for text in texts:
        assert [m.span() for m in postcode_matches(text)] == [m.span() for m in _POSTCODE.finditer(text)], text
