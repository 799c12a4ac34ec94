"""One real kernel: environment, working directory, read-set recording, option layering."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dhr_kit.errors import BuildError
from dhr_kit.render.execute import KernelSession, effective_options, execute_chapter
from dhr_kit.source import parse_qmd

CHAPTER = '''# Env

```{python}
import json, os
open("data/read.csv").read()
os.listdir("data")
open("data/written.txt", "w").write("x")
print(json.dumps({k: os.environ.get(k) for k in ("DHR_PROJECT", "DHR_PUBLISH", "DHR_CHAPTER_DIR")} | {"cwd": os.getcwd()}))
```

```{python}
#| eval: false
raise SystemExit("never run")
```
'''


def test_kernel_environment_and_read_set(tmp_path):
    root = tmp_path / "review"
    (root / "chapters").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "data" / "read.csv").write_text("a\n")
    path = root / "chapters" / "env.qmd"
    path.write_text(CHAPTER)
    chapter = parse_qmd(path, "chapters/env.qmd")
    result = execute_chapter(chapter, root.resolve(), publish=True, project_execute={})
    printed = json.loads(result.outputs[0][-1]["text"])
    assert printed == {"DHR_PROJECT": str(root.resolve()), "DHR_PUBLISH": "1",
                       "DHR_CHAPTER_DIR": str((root / "chapters").resolve()), "cwd": str(root.resolve())}
    assert result.outputs[1] == []  # eval: false
    assert "data/read.csv" in result.files and "data/written.txt" not in result.files
    assert "data" in result.dirs


def test_option_layers(tmp_path):
    path = tmp_path / "c.qmd"
    path.write_text("---\nexecute:\n  warning: false\n---\n```{python}\n#| echo: true\n1\n```\n")
    chapter = parse_qmd(path, "c.qmd")
    options = effective_options(chapter.code_cells[0], chapter, {"echo": False, "error": True})
    assert options == {"echo": True, "eval": True, "include": True, "output": True, "warning": False, "error": True}


# ---- one kernel reused across chapters -----------------------------------------------------------

DIRTY = '''# Leaves state behind

```{python}
import os, sys, warnings
import matplotlib.pyplot as plt
import pandas as pd
import dhr_kit.helpers._review as review_cache
import helper
leftover = 1
helper.warn()
plt.figure()
pd.set_option("display.max_rows", 3)
warnings.simplefilter("ignore")
os.environ["DHR_LEFTOVER"] = "1"
sys.path.append("/nowhere")
review_cache._CACHE["stale"] = "review"
os.chdir("chapters")
```
'''

CHECK = '''# Sees a fresh kernel

```{python}
import json, os, sys
import matplotlib.pyplot as plt
import pandas as pd
import dhr_kit.helpers._review as review_cache
import helper
helper.warn()
print(json.dumps({"leftover": "leftover" in globals(), "figures": plt.get_fignums(), "cwd": os.getcwd(),
                  "max_rows": pd.get_option("display.max_rows"), "env": os.environ.get("DHR_LEFTOVER"),
                  "path": "/nowhere" in sys.path, "review_cache": len(review_cache._CACHE),
                  "chapter_dir": os.environ["DHR_CHAPTER_DIR"], "publish": os.environ["DHR_PUBLISH"]}))
```
'''

SAME = '''# Outputs

```{python}
import matplotlib.pyplot as plt
print("stream")
plt.plot([1, 2], [3, 4])
plt.show()
{"a": 1}
```

```{python}
#| error: true
raise ValueError("shown")
```

```{python}
6 * 7
```
'''


def _project(tmp_path, chapters: dict[str, str]):
    from dhr_kit.source import parse_qmd

    root = (tmp_path / "review").resolve()
    for rel, text in chapters.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (root / "helper.py").write_text("import warnings\n\ndef warn():\n    warnings.warn('once per chapter')\n")
    return root, {rel: parse_qmd(root / rel, rel) for rel in chapters if rel.endswith(".qmd")}


def _child_pythons() -> list:
    psutil = pytest.importorskip("psutil")
    return [p for p in psutil.Process().children(recursive=True) if "python" in p.name().lower()]


def test_reused_kernel_is_reset_before_each_chapter(tmp_path):
    root, chapters = _project(tmp_path, {"chapters/dirty.qmd": DIRTY, "other/check.qmd": CHECK})
    with KernelSession(root) as session:
        session.execute(chapters["chapters/dirty.qmd"], publish=True, project_execute={})
        result = session.execute(chapters["other/check.qmd"], publish=False, project_execute={})
        assert session.kernels_started == 1
    stream = [o for o in result.outputs[0] if o.get("output_type") == "stream"]
    assert any("UserWarning: once per chapter" in o["text"] for o in stream if o["name"] == "stderr")
    printed = json.loads(next(o["text"] for o in stream if o["name"] == "stdout"))
    assert printed == {"leftover": False, "figures": [], "cwd": str(root), "max_rows": 60, "env": None,
                       "path": False, "review_cache": 0, "chapter_dir": str(root / "other"), "publish": "0"}
    assert "helper.py" in result.files  # a project module is re-imported, so its read is recorded
    assert _child_pythons() == []


def test_reused_kernel_gives_the_outputs_of_a_fresh_one(tmp_path):
    root, chapters = _project(tmp_path, {"chapters/dirty.qmd": DIRTY, "chapters/same.qmd": SAME})
    fresh = execute_chapter(chapters["chapters/same.qmd"], root, publish=False, project_execute={})
    with KernelSession(root) as session:
        session.execute(chapters["chapters/dirty.qmd"], publish=False, project_execute={})
        reused = session.execute(chapters["chapters/same.qmd"], publish=False, project_execute={})
    assert reused.outputs == fresh.outputs
    assert (reused.files, reused.dirs) == (fresh.files, fresh.dirs)
    kinds = [[o["output_type"] for o in cell] for cell in fresh.outputs]
    assert kinds == [["stream", "display_data", "execute_result"], ["error"], ["execute_result"]]


def test_a_failed_chapter_does_not_poison_the_next(tmp_path):
    failing = "# Fails\n\n```{python}\nleftover = 1\nraise KeyError('boom')\n```\n"
    root, chapters = _project(tmp_path, {"chapters/fail.qmd": failing, "chapters/check.qmd": CHECK})
    with KernelSession(root) as session:
        with pytest.raises(BuildError, match=r"chapters/fail.qmd:5: the cell raised KeyError"):
            session.execute(chapters["chapters/fail.qmd"], publish=False, project_execute={})
        assert session.km is None and _child_pythons() == []  # the failed kernel was shut down
        result = session.execute(chapters["chapters/check.qmd"], publish=False, project_execute={})
        assert session.kernels_started == 2
    assert '"leftover": false' in next(o["text"] for o in result.outputs[0] if o.get("name") == "stdout")
    assert _child_pythons() == []
