"""One real kernel: environment, working directory, read-set recording, option layering."""
from __future__ import annotations

import json
from pathlib import Path

from dhr_kit.render.execute import effective_options, execute_chapter
from dhr_kit.render.qmd import parse_qmd

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
