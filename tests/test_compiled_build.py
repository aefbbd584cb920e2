"""The compiled build (mypyc, see setup.py and kit/_build.py) gives the same answers
as the Python sources, and the kit falls back to the sources when an extension was
built from another version of its source (a SHA-256 record, not file times) or
when they are asked for."""

from __future__ import annotations

import ast
import hashlib
import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import kit
from kit import _build

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
    env = {k: v for k, v in os.environ.items() if k != _build.PURE_ENV}
    if pure:
        env[_build.PURE_ENV] = "1"
    run = subprocess.run([sys.executable, "-c", DUMP, *map(str, CORPORA)], capture_output=True,
                         text=True, timeout=600, env=env)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_setup_compiles_the_modules_the_kit_knows_of():
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    listed = next(ast.literal_eval(node.value) for node in tree.body
                  if isinstance(node, ast.Assign) and node.targets[0].id == "COMPILED")
    assert [p[:-3].replace("/", ".") for p in listed] == list(_build.COMPILED)
    assert all(_build.source_of(m) == ROOT / p for m, p in zip(_build.COMPILED, listed))


def test_build_maps_each_compiled_module_to_how_it_runs():
    status = kit.build()
    assert list(status) == list(_build.COMPILED)
    assert set(status.values()) <= {"compiled", "source"}
    for module, how in status.items():
        assert sys.modules[module].__file__.endswith(".py") == (how == "source")


def test_the_install_compiled_the_extraction_modules():
    """CI builds from a fresh clone: there the extensions must exist and be in use."""
    if os.environ.get("CI", "").lower() not in ("1", "true", "yes") and \
            "compiled" not in kit.build().values():
        pytest.skip("no compiled build here (KIT_PURE_PYTHON install or no C compiler)")
    assert kit.build() == dict.fromkeys(_build.COMPILED, "compiled")
    assert kit.SOURCES_BECAUSE == ""
    assert _build.stale_extensions() == []


@pytest.mark.slow
def test_compiled_and_python_sources_give_the_same_sentences_and_figures():
    compiled, pure = _dump(pure=False), _dump(pure=True)
    assert set(pure["build"].values()) == {"source"}
    if "compiled" not in compiled["build"].values():
        pytest.skip("no compiled build here to compare with")
    assert set(compiled["build"].values()) == {"compiled"}
    assert sum(len(c["figures"]) for c in pure["corpora"]) > 30
    assert compiled["corpora"] == pure["corpora"]


@pytest.mark.slow
def test_pure_python_is_chosen_by_the_environment_variable():
    env = {**os.environ, _build.PURE_ENV: "1"}
    run = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-c",
                          "import json, kit; print(json.dumps([kit.build(), kit.SOURCES_BECAUSE]))"],
                         capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr  # no warning: the user asked for the sources
    build, because = json.loads(run.stdout)
    assert set(build.values()) == {"source"} and because == f"{_build.PURE_ENV} is set"


# --------------------------------------------------------------------------- staleness

@pytest.fixture
def fake_package(tmp_path, monkeypatch):
    """A package tree with every compiled module's source, an extension beside it and
    the build record of those sources."""
    package = tmp_path / "kit"
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    record = {}
    for module in _build.COMPILED:
        source = tmp_path.joinpath(*module.split(".")).with_suffix(".py")
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(f"# {module}\n", encoding="utf-8")
        source.with_name(source.stem + suffix).write_bytes(b"")
        record[module] = hashlib.sha256(source.read_bytes()).hexdigest()
    (package / "_compiled.json").write_text(json.dumps(record), encoding="utf-8")
    monkeypatch.setattr(_build, "PACKAGE", package)
    monkeypatch.setattr(_build, "RECORD", package / "_compiled.json")
    monkeypatch.delenv(_build.PURE_ENV, raising=False)
    return package


def test_an_extension_is_stale_when_its_source_hash_differs_from_the_record(fake_package):
    assert _build.stale_extensions() == []
    assert _build.sources_reason() == ""
    (fake_package / "extract" / "figures.py").write_text("# edited\n", encoding="utf-8")
    assert _build.stale_extensions() == ["kit.extract.figures"]
    assert _build.sources_reason() == "kit/extract/figures.py changed since it was compiled"


def test_file_times_do_not_make_an_extension_stale(fake_package):
    source = fake_package / "extract" / "numbers.py"
    os.utime(source, (4_000_000_000, 4_000_000_000))  # a source "newer" than everything
    assert _build.stale_extensions() == []


def test_a_missing_or_broken_record_makes_every_extension_stale(fake_package):
    (fake_package / "_compiled.json").write_text("not json", encoding="utf-8")
    assert _build.stale_extensions() == list(_build.COMPILED)
    (fake_package / "_compiled.json").unlink()
    assert _build.stale_extensions() == list(_build.COMPILED)


def test_a_module_without_an_extension_is_never_stale(fake_package):
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    (fake_package / "extract" / f"figures{suffix}").unlink()
    (fake_package / "extract" / "figures.py").write_text("# edited\n", encoding="utf-8")
    assert _build.stale_extensions() == []


def test_a_stale_extension_sends_every_module_to_its_source_with_a_warning(fake_package):
    (fake_package / "extract" / "numbers.py").write_text("# edited\n", encoding="utf-8")
    finder = _build._SourcesFirst()
    for module in _build.COMPILED:
        assert finder.find_spec(module).origin == str(_build.source_of(module))
    assert finder.find_spec("kit.claims") is None and finder.find_spec("numbers") is None
    meta_path = list(sys.meta_path)
    with pytest.warns(RuntimeWarning, match="kit/extract/numbers.py changed since it was compiled"):
        reason = _build.import_modules()
    assert "kit/extract/numbers.py" in reason
    assert sys.meta_path == meta_path  # the finder is gone again


def test_the_environment_variable_asks_for_the_sources_without_a_warning(fake_package,
                                                                      monkeypatch, recwarn):
    monkeypatch.setenv(_build.PURE_ENV, "1")
    assert _build.sources_reason() == f"{_build.PURE_ENV} is set"
    assert _build.import_modules() == f"{_build.PURE_ENV} is set"
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
    monkeypatch.setenv(_build.PURE_ENV, "0")
    assert _build.sources_reason() == ""
