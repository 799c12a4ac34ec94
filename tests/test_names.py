"""The private deny-list: every spelling of a real name a reader would recognise is found.

Cases are data (tests/fixtures/names/cases.yml): names-file lines, a text, the spans that must be found.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dhr_kit.denylist import read_deny_list
from dhr_kit.errors import InputError
from dhr_kit.qa.names import NameList

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "names" / "cases.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["about"] for c in CASES])
def test_name_spellings(case: dict) -> None:
    names = NameList(case["names"])
    assert [case["text"][m.start:m.end] for m in names.finditer(case["text"])] == case["found"]


def test_a_match_names_the_line_of_its_entry() -> None:
    names = NameList([(3, "Zoë Hartley"), (7, "Ruth Pemberton")])
    assert [m.entry_line for m in names.finditer("Pembertons and Zoe")] == [7, 3]


def test_names_file_not_utf8_is_bad_input_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_bytes("Ruth Collins\nZo\xeb Hartley\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        read_deny_list(path)
    problem = info.value.problems[0]
    assert (problem.line, problem.message) == (2, "the names file is not UTF-8 text")
    assert "Hartley" not in str(info.value)


def test_names_file_with_bom_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_text("\ufeff# the family\nRuth Collins  # victim's sister\n", encoding="utf-8")
    assert [m.entry_line for m in NameList(read_deny_list(path).entries).finditer("Ms Collins")] == [2]
