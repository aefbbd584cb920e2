"""``kit report`` parameters (kit.report.params): checked against the notebook's
parameters cell before anything runs or is written; strings reach the kernel as
literals, never as code; the options and --out are validated first."""

from __future__ import annotations

import html
import json

import pytest
from conftest import EMPTY_TEXT, REPO, SEEDS, make_corpus, render
from hypothesis import given, settings
from hypothesis import strategies as st

from kit import cli
from kit.report import params

GOOD = ("Fictional valley news\n\nThe council said about 1,500 volunteers cleared the "
        "river bank on Sunday, officials said.\n")


@pytest.mark.parametrize("args,needle", [
    (["--param", "colour=red"], "unknown parameter 'colour'"),
    (["--param", "title"], "NAME=VALUE"),
    (["--param", "statuses=deployed,sunk"], "unknown status 'sunk'"),
    (["--param", "scale=cubic"], "'scale'"),
    (["--param", "nouns=[1, 2]"], "'nouns' expects list[str]"),
    (["--param", "corpus=/etc"], "--corpus"),
])
def test_bad_parameters_refused_before_anything(tmp_path, capsys, args, needle):
    out = tmp_path / "reports"
    assert render(SEEDS, out, *args) == 2
    assert needle in capsys.readouterr().err
    assert not out.exists()  # nothing written, not even the folder


@pytest.mark.parametrize("content,suffix,needle", [
    ("title: 5\n", ".yaml", "'title' expects str"),
    ("title: 2024-10-21\n", ".yaml", "'title' expects str"),  # YAML date: not a literal type
    ('{"nouns": "troops"}', ".json", "'nouns' expects list[str]"),
    ("title: !!python/object/apply:os.system ['touch PWNED']\n", ".yaml", "not valid"),
    ("- a\n- b\n", ".yaml", "mapping"),
    ("zoom: 2\n", ".yml", "unknown parameter 'zoom'"),
])
def test_bad_params_file_refused(tmp_path, capsys, content, suffix, needle):
    path = tmp_path / f"p{suffix}"
    path.write_text(content)
    out = tmp_path / "reports"
    assert render(SEEDS, out, "--params", str(path)) == 2
    assert needle in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "PWNED").exists()


def test_params_file_and_cli_values_are_typed_by_the_notebook(tmp_path):
    spec = params.notebook_parameters(REPO / "notebooks" / "estimates.ipynb")
    assert {"corpus", "nouns", "statuses", "title", "scale"} <= set(spec)
    assert all(s["help"] for s in spec.values())  # every knob documented
    path = tmp_path / "p.json"
    path.write_text('{"title": "T", "nouns": ["troops"]}')
    values = params.resolve_params(spec, params.load_params_file(path),
                                   ["nouns=soldiers, troops", "statuses=[planned]"], "estimates")
    assert values["title"] == "T" and values["nouns"] == ["soldiers", "troops"]
    assert values["statuses"] == ["planned"]


@pytest.mark.parametrize("value", [
    'x"; import os; os.system("touch PWNED"); y="',
    "x\\\"; import os #", "a\\", "line\nimport os", "'''", '"""', "\\n\\x00", "é ü 中 🚀",
    "{__import__('os')}", "\r\n\t",
])
def test_string_parameters_are_injected_as_literals(value):
    params.verify_injection({"title": value, "nouns": [value, "b"]})


def test_out_never_inside_corpus_or_package_or_a_file(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "c", {"a.txt": EMPTY_TEXT})
    assert render(corpus, corpus / "reports") == 2
    assert render(corpus, REPO / "kit" / "reports") == 2
    (tmp_path / "file").write_text("x")
    assert render(corpus, tmp_path / "file") == 2
    assert not (corpus / "reports").exists() and not (REPO / "kit" / "reports").exists()
    assert (tmp_path / "file").read_text() == "x"


@pytest.mark.slow
@settings(max_examples=200, deadline=None, database=None)
@given(st.text(max_size=200), st.lists(st.text(max_size=30), max_size=4))
def test_any_string_parameter_is_injected_as_a_literal(title, nouns):
    nouns = [n for n in nouns if "\x00" not in n]
    if "\x00" in title:
        with pytest.raises(params.UsageError):
            params.check_value("title", "str", title)
        return
    params.verify_injection({"title": title, "nouns": nouns})


@pytest.mark.slow
def test_code_in_string_parameters_does_not_run_in_the_kernel(tmp_path):
    marker = tmp_path / "PWNED"
    marker2 = tmp_path / "PWNED2"
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(GOOD, encoding="utf-8")
    title = f'"); import os; os.system("touch {marker}") #'
    noun = f"__import__('os').system('touch {marker2}')"
    out = tmp_path / "reports"
    code = render(corpus, out, "--param", f"title={title}",
                  "--param", f"nouns=[\"{noun}\", volunteers]")
    assert code == 0
    assert not marker.exists() and not marker2.exists()
    assert not list(tmp_path.rglob("PWNED*")) and not (REPO / "notebooks" / "PWNED").exists()
    [rec] = [json.loads(x) for x in (out / "runs.jsonl").read_text().splitlines()]
    given_params = rec["reports"][0]["parameters"]
    assert given_params["title"] == title and given_params["nouns"] == [noun, "volunteers"]
    page = (out / "estimates.html").read_text(encoding="utf-8")
    assert html.escape(title) in page and "<script" not in page


@pytest.mark.parametrize("args,needle", [
    (["--wait", "-1"], "--wait"),
    (["--wait", "nan"], "--wait"),
    (["--wait", "soon"], "invalid float"),
    (["--params", "/no/such/params.yaml"], "cannot read"),
    (["--param", "title=" + "x" * 20_000], "too long"),
    (["--param", "scale=1"], "'scale'"),
    (["--bogus"], "unrecognized"),
])
def test_cli_options_validated_before_anything_is_written(tmp_path, capsys, args, needle):
    out = tmp_path / "reports"
    all_args = ["--out", str(out), *args]
    if "--corpus" not in args:
        all_args = ["--corpus", str(SEEDS), *all_args]
    assert cli.main(["report", *all_args]) == 2
    assert needle in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("kind, raw, value", [
    ("str", "a title", "a title"), ("int", "3", 3), ("float", "2.5", 2.5),
    ("bool", "yes", True), ("bool", "off", False), ("list[str]", "a, b", ["a", "b"]),
    ("list[str]", "[a, b]", ["a", "b"]),
])
def test_command_line_values_are_converted_to_the_parameter_type(kind, raw, value):
    assert params.convert_cli_value("x", kind, raw) == value


@pytest.mark.parametrize("kind, raw", [("int", "three"), ("float", "soon"), ("bool", "maybe")])
def test_values_that_are_not_of_the_type_are_usage_errors(kind, raw):
    with pytest.raises(params.UsageError, match="'x'"):
        params.convert_cli_value("x", kind, raw)


def test_non_finite_numbers_and_nul_in_strings_are_refused():
    with pytest.raises(params.UsageError, match="not finite"):
        params.check_value("x", "float", float("nan"))
    with pytest.raises(params.UsageError, match="NUL"):
        params.check_value("x", "list[str]", ["ok", "a\x00b"])


def test_rules_between_parameters_are_checked():
    with pytest.raises(params.UsageError, match="sunk"):
        params.check_rules({"statuses": ["deployed", "sunk"]})
    params.check_rules({"statuses": ["deployed", "planned"], "scale": "log"})
