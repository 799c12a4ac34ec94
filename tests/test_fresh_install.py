"""The wheel installed into a new virtual environment outside the repository builds a new review.

Proves that templates and fonts ship inside the package and nothing depends on the checkout.
"""
from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow


def _run(args, cwd, env=None, timeout=900):
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{args} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def test_wheel_in_a_new_venv_scaffolds_and_renders_a_review(tmp_path):
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(REPO)],
         cwd=tmp_path)
    wheel = next(dist.glob("dhr_kit-*.whl"))

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], cwd=tmp_path)

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "DHR_"))}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    dhr = str(env_dir / "bin" / "dhr")
    _run([dhr, "new", "review"], cwd=work, env=env)
    located = _run([str(python), "-c", "import dhr_kit.paths as p; print(p.templates_dir())"], cwd=work, env=env)
    assert str(REPO) not in located.stdout and "site-packages" in located.stdout
    _run([dhr, "check", "review"], cwd=work, env=env)
    _run([dhr, "render", "review", "--to", "all", "--engine", "embedded", "--quiet"], cwd=work, env=env)
    out = work / "review" / "_book"
    assert (out / "index.html").is_file()
    pdfs = list(out.glob("*.pdf"))
    assert pdfs and all(p.stat().st_size > 10_000 for p in pdfs)
