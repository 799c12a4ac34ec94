"""check_outputs on rendered files, data-driven: each folder under tests/fixtures/qa/_outputs holds
HTML pages and a description of the PDFs to generate (nothing large is committed), and expected.yml
the findings (rule, file, line[, severity]) and the rules that must stay silent (``absent:``)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from dhr_kit.qa import check_outputs
from dhr_kit.qa.catalogue import resolve_severity
from qa_fixtures import materialise_outputs, output_cases, output_expected


@pytest.mark.parametrize("case", output_cases())
def test_output_fixture(case: str, tmp_path: Path) -> None:
    spec = output_expected(case)
    root, out, names = materialise_outputs(case, tmp_path)
    publish = spec.get("publish", False)
    result = check_outputs(root, out, publish=publish, names_file=names, shown_as="_book")
    got = Counter((f.rule, f.file, f.line) for f in result.findings)
    want = Counter((e["rule"], e["file"], e["line"]) for e in spec.get("findings", []))
    assert got == want, "\n".join(f"{f.file}:{f.line} {f.severity} {f.rule} {f.message}" for f in result.findings)
    for f in result.findings:
        assert f.severity == resolve_severity(f.rule, publish=publish), f
    for entry in spec.get("findings", []):
        if "severity" in entry:
            assert {f.severity for f in result.findings if (f.rule, f.file, f.line) ==
                    (entry["rule"], entry["file"], entry["line"])} == {entry["severity"]}, entry
    for rule in spec.get("absent", []):
        assert not result.of_rule(rule), rule


def test_leaks_say_where_they_were_seen(tmp_path: Path) -> None:
    root, out, names = materialise_outputs("pdf-leaks", tmp_path)
    result = check_outputs(root, out, publish=True, names_file=names)
    assert next(f for f in result.findings if f.rule == "DHR-A001").message.endswith(" (PDF metadata)")
    assert next(f for f in result.findings if f.rule == "DHR-P005").message.endswith(" (PDF page 1)")


def test_findings_in_a_build_folder_are_shown_under_the_output_folder_name(tmp_path: Path) -> None:
    staging = tmp_path / "._book.tmp-x1y2"
    staging.mkdir()
    (staging / "09-overview.html").write_text('<html><body>\n<img src="chart.svg">\n</body></html>\n', encoding="utf-8")
    result = check_outputs(tmp_path, staging, shown_as="_book")
    assert [(f.rule, f.file) for f in result.findings] == [("DHR-P004", "_book/09-overview.html")]
