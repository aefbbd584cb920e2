"""The compiled build (mypyc, see setup.py and kit/_native.py) gives the same answers
as the Python sources, and falls back to them when it would be wrong or is not wanted."""

from __future__ import annotations

import ast
import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import kit
from kit import _native

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT / "seeds", ROOT / "tests" / "data" / "corpus", ROOT / "tests" / "data" / "multiday"]

DUMP = """
import json, sys
import kit
out = {"build": kit.build(), "corpora": []}
for path in sys.argv[1:]:
    articles = kit.load_corpus(path)
    out["corpora"].append({
        "sentences": kit.sentences(articles).astype(object).where(lambda f: f.notna(), None)
                        .to_dict("records"),
        "figures": kit.figures(articles).astype(object).where(lambda f: f.notna(), None)
                      .to_dict("records"),
    })
print(json.dumps(out, default=str))
"""


def _dump(pure: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k != _native.PURE_ENV}
    if pure:
        env[_native.PURE_ENV] = "1"
    run = subprocess.run([sys.executable, "-c", DUMP, *map(str, CORPORA)], capture_output=True,
                         text=True, timeout=600, env=env)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_setup_compiles_the_modules_the_kit_knows_of():
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    listed = next(ast.literal_eval(node.value) for node in tree.body
                  if isinstance(node, ast.Assign) and node.targets[0].id == "COMPILED")
    assert [Path(p).stem for p in listed] == list(_native.COMPILED)


def test_the_install_compiled_the_extraction_modules():
    """CI builds from a fresh clone: there the extensions must exist and be in use."""
    if os.environ.get("CI", "").lower() not in ("1", "true", "yes") and "compiled" not in kit.build().values():
        pytest.skip("no compiled build here (KIT_PURE_PYTHON install or no C compiler)")
    assert kit.build() == dict.fromkeys(_native.COMPILED, "compiled")
    assert kit.SOURCES_BECAUSE == ""


def test_compiled_and_python_sources_give_the_same_sentences_and_figures():
    compiled, pure = _dump(pure=False), _dump(pure=True)
    assert set(pure["build"].values()) == {"source"}
    if "compiled" not in compiled["build"].values():
        pytest.skip("no compiled build here to compare with")
    assert set(compiled["build"].values()) == {"compiled"}
    assert sum(len(c["figures"]) for c in pure["corpora"]) > 30
    assert compiled["corpora"] == pure["corpora"]


@pytest.fixture
def fake_package(tmp_path, monkeypatch):
    monkeypatch.setattr(_native, "HERE", tmp_path)
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    for name in _native.COMPILED:
        (tmp_path / f"{name}.py").write_text("", encoding="utf-8")
        (tmp_path / f"{name}{suffix}").write_bytes(b"")
        os.utime(tmp_path / f"{name}.py", (1_000, 1_000))
        os.utime(tmp_path / f"{name}{suffix}", (2_000, 2_000))
    return tmp_path


def test_an_extension_older_than_its_source_is_stale(fake_package):
    assert _native.stale_extensions() == []
    os.utime(fake_package / "extract.py", (3_000, 3_000))
    assert _native.stale_extensions() == ["extract"]


def test_a_stale_extension_sends_every_module_to_its_source(fake_package, monkeypatch):
    monkeypatch.delenv(_native.PURE_ENV, raising=False)
    monkeypatch.setattr(sys, "meta_path", [f for f in sys.meta_path if not isinstance(f, _native._SourcesFirst)])
    assert _native.choose() == ""
    assert not any(isinstance(f, _native._SourcesFirst) for f in sys.meta_path)
    os.utime(fake_package / "numbers.py", (3_000, 3_000))
    with pytest.warns(RuntimeWarning, match="numbers.py is newer than its compiled extension"):
        assert "numbers.py" in _native.choose()
    finder = next(f for f in sys.meta_path if isinstance(f, _native._SourcesFirst))
    for name in _native.COMPILED:
        assert finder.find_spec(f"kit.{name}").origin == str(fake_package / f"{name}.py")
    assert finder.find_spec("kit.group") is None and finder.find_spec("numbers") is None
