"""An installed kit works outside a checkout: the wheel carries the notebooks and the
example corpus, and ``kit report`` renders from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **env}
    full_env.pop("PYTHONPATH", None)
    return subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, text=True,
                          timeout=900, check=False)


def test_wheel_installed_in_a_fresh_venv_renders_a_report_from_any_folder(tmp_path):
    dist = tmp_path / "dist"
    built = _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist),
                  str(REPO)], tmp_path, KIT_PURE_PYTHON="1",
                 PIP_CONSTRAINT=str(REPO / "constraints.txt"))
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(dist.glob("estimates_kit-*.whl"))

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    installed = _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], tmp_path,
                     PIP_CONSTRAINT=str(REPO / "constraints.txt"))
    assert installed.returncode == 0, installed.stderr[-2000:]

    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    where = _run([str(python), "-c", "import kit; print(kit.__file__)"], elsewhere)
    assert where.stdout.strip().startswith(str(env_dir)), where.stdout  # not the checkout

    report = _run([str(env_dir / "bin" / "kit"), "report", "--out", "reports"], elsewhere)
    assert report.returncode == 0, report.stderr[-3000:]
    page = (elsewhere / "reports" / "estimates.html").read_text(encoding="utf-8")
    assert "Estimates by source" in page and "data:image/svg+xml" in page
    assert "5 articles from" in page  # the example corpus shipped in the wheel
