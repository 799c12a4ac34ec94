"""The build context is resolved once: one render loads `_quarto.yml` once, the review data at most once
and reads the private names list once (in dhr-kit's own process; kernels are other processes)."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import copy_example
from dhr_kit.config import BuildContext, resolve_context
from dhr_kit.errors import InputError

COUNTED = ("load_project", "load_review", "read_deny_list")
_opened: list[str] | None = None  # paths opened while a test records (an audit hook stays for the session)


def _record_opens(event: str, args: tuple) -> None:
    if _opened is not None and event == "open" and isinstance(args[0], (str, Path)):
        _opened.append(str(args[0]))


sys.addaudithook(_record_opens)


@pytest.fixture
def calls(monkeypatch) -> Counter:
    """Counts calls of COUNTED, wherever a dhr_kit module imported them from."""
    import dhr_kit.config
    import dhr_kit.denylist
    import dhr_kit.loader
    import dhr_kit.project
    import dhr_kit.qa.run  # noqa: F401 — imported so its references are patched too
    import dhr_kit.render.pipeline  # noqa: F401

    originals = {"load_project": dhr_kit.project.load_project, "load_review": dhr_kit.loader.load_review,
                 "read_deny_list": dhr_kit.denylist.read_deny_list}
    counter: Counter = Counter()

    def counting(name):
        def wrapper(*args, **kwargs):
            counter[name] += 1
            return originals[name](*args, **kwargs)
        return wrapper

    for module in [m for n, m in sys.modules.items() if n == "dhr_kit" or n.startswith("dhr_kit.")]:
        for name in COUNTED:
            if getattr(module, name, None) is originals[name]:
                monkeypatch.setattr(module, name, counting(name))
    return counter


def test_one_render_resolves_the_context_once(tmp_path, calls):
    global _opened
    from dhr_kit.render import render

    root = copy_example(tmp_path / "review")
    names = tmp_path / "private" / "names.txt"
    names.parent.mkdir()
    names.write_text("# nobody in the example\nZebedee Quarrington\n", encoding="utf-8")
    _opened = []
    try:
        result = render(root, to="html", names_file=names, quiet=True, engine="embedded")
    finally:
        opened, _opened = _opened, None
    assert result.outputs and not result.writers_skipped
    assert calls == {"load_project": 1, "load_review": 1, "read_deny_list": 1}
    assert opened.count(str(names)) == 1


def test_resolve_context_reads_the_names_from_the_environment(tmp_path, monkeypatch, calls):
    root = copy_example(tmp_path / "review")
    names = tmp_path / "names.txt"
    names.write_text("Zebedee Quarrington  # a comment\n\n", encoding="utf-8")
    monkeypatch.setenv("DHR_NAMES_FILE", str(names))
    ctx = resolve_context(root, publish=True, formats="all")
    assert isinstance(ctx, BuildContext)
    assert ctx.deny_list.path == names and ctx.deny_list.entries == ((1, "Zebedee Quarrington"),)
    assert ctx.formats == ("html", "pdf", "docx") and ctx.publish and not ctx.strict
    assert ctx.kernel_environment(root / "chapters") == {
        "DHR_PROJECT": str(root.resolve()), "DHR_PUBLISH": "1", "DHR_CHAPTER_DIR": str(root / "chapters"),
        "DHR_NAMES_FILE": str(names)}
    assert calls["load_review"] == 0  # loaded only when first needed …
    assert ctx.review is ctx.review and calls["load_review"] == 1  # … and then once


def test_a_missing_names_file_is_bad_input(tmp_path):
    root = copy_example(tmp_path / "review")
    with pytest.raises(InputError, match="the names file does not exist"):
        resolve_context(root, names_file=tmp_path / "absent.txt")


def test_the_context_is_frozen(tmp_path):
    ctx = resolve_context(copy_example(tmp_path / "review"))
    with pytest.raises(AttributeError):
        ctx.publish = True  # type: ignore[misc]


def test_strict_reaches_the_output_checks(tmp_path):
    """--strict turns the output checks' warnings into errors too (it used to be dropped on the way)."""
    from dhr_kit.qa import check_outputs

    ctx = resolve_context(copy_example(tmp_path / "review"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("<html lang='en'><body><!-- a draft note --><p>Text.</p></body></html>\n",
                                    encoding="utf-8")
    draft = {f.rule: f.severity for f in check_outputs(ctx, out).findings}
    strict = {f.rule: f.severity for f in check_outputs(resolve_context(ctx.root, strict=True), out).findings}
    assert draft["DHR-P007"] == "warning" and strict["DHR-P007"] == "error"
