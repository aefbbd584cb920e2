"""Report parameters: read from a notebook's ``parameters`` cell, checked before anything runs.

Papermill itself only warns about unknown names, so every value is checked
here against the cell's type hints and a few value rules; the code papermill
would inject is then parsed back and must consist of plain literal
assignments, so a string parameter cannot execute code.
"""

from __future__ import annotations

import ast
import io
import json
import math
import tokenize
from pathlib import Path

ALLOWED_TYPES = ("str", "int", "float", "bool", "list[str]")
MAX_STRING = 10_000


class UsageError(Exception):
    """Bad options or parameters: reported before anything runs (exit 2)."""


class RunError(Exception):
    """A run could not complete (exit 1)."""


def notebook_parameters(path: Path) -> dict[str, dict]:
    """The ``parameters`` cell of a notebook as {name: {type, default, help}}.

    Every assignment must carry a type hint from ALLOWED_TYPES and a literal
    default: the notebooks are ours, so a bad cell is a bug to report loudly.
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise RunError(f"{path.name}: expected one cell tagged 'parameters', found {len(cells)}")
    source = cells[0].source
    comments: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    spec: dict[str, dict] = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and node.value is not None):
            raise RunError(f"{path.name}: parameters cell line {node.lineno}: "
                           "only 'name: type = literal  # comment' lines are allowed")
        kind = ast.unparse(node.annotation).replace(" ", "")
        if kind not in ALLOWED_TYPES:
            raise RunError(f"{path.name}: parameter {node.target.id} has type {kind}; "
                           f"allowed: {', '.join(ALLOWED_TYPES)}")
        comment = " ".join(comments[i] for i in range(node.lineno, node.end_lineno + 1)
                           if i in comments)
        spec[node.target.id] = {"type": kind, "default": ast.literal_eval(node.value),
                                "help": comment}
    return spec


_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


def convert_cli_value(name: str, kind: str, raw: str):
    """A ``--param NAME=VALUE`` string converted to the declared type."""
    try:
        if kind == "str":
            return raw
        if kind == "int":
            return int(raw.strip(), 10)
        if kind == "float":
            return float(raw.strip())
        if kind == "bool":
            low = raw.strip().lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            raise ValueError(raw)
        if kind == "list[str]":
            text = raw.strip()
            if text.startswith("["):
                import yaml

                value = yaml.safe_load(text)
                return value
            return [part.strip() for part in text.split(",") if part.strip()]
    except (ValueError, TypeError) as err:
        raise UsageError(f"parameter {name!r} expects {kind}, got {raw!r}") from err
    except Exception as err:  # yaml errors
        raise UsageError(f"parameter {name!r} expects {kind}, got {raw!r} ({err})") from err
    raise UsageError(f"parameter {name!r}: unsupported type {kind}")


def check_value(name: str, kind: str, value):
    """The value if it has the declared type (ints accepted for floats), else UsageError."""
    def bad(why=""):
        return UsageError(f"parameter {name!r} expects {kind}, got "
                          f"{type(value).__name__} {value!r}{why}")

    if kind == "str":
        if not isinstance(value, str):
            raise bad()
        if len(value) > MAX_STRING or "\x00" in value:
            raise bad(" (too long or contains NUL)")
    elif kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad()
    elif kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad()
        value = float(value)
        if not math.isfinite(value):
            raise bad(" (not finite)")
    elif kind == "bool":
        if not isinstance(value, bool):
            raise bad()
    elif kind == "list[str]":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad()
        for v in value:
            check_value(name + "[]", "str", v)
    return value


def check_rules(params: dict) -> None:
    """Value rules that types cannot express."""
    from kit.schema import STATUSES

    for status in params.get("statuses", []) or []:
        if status not in STATUSES:
            raise UsageError(f"parameter 'statuses': unknown status {status!r}; "
                             f"known: {', '.join(STATUSES)}")
    if "tolerance" in params:
        from kit.claims.values import check_tolerance

        try:
            check_tolerance(params["tolerance"])
        except ValueError as err:
            raise UsageError(f"parameter {err}") from None
    if params.get("scale", "auto") not in ("auto", "log", "linear"):
        raise UsageError(f"parameter 'scale' must be auto, log or linear, got {params['scale']!r}")


def load_params_file(path: Path) -> dict:
    """Parameters from a YAML or JSON file (a mapping of plain values)."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"--params {path}: cannot read ({err})") from err
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except Exception as err:
        raise UsageError(f"--params {path}: not valid {path.suffix or 'YAML'} ({err})") from err
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise UsageError(f"--params {path}: expected a mapping of parameter names to values")
    return data


def resolve_params(spec: dict[str, dict], file_params: dict, cli_params: list[str],
                   notebook: str) -> dict:
    """Defaults, overridden by the params file, then by --param; all checked."""
    values = {name: s["default"] for name, s in spec.items()}
    known = ", ".join(sorted(spec))

    def unknown(name):
        return UsageError(f"unknown parameter {name!r} for notebook {notebook} "
                          f"(known: {known})")

    for name, value in file_params.items():
        if name not in spec:
            raise unknown(name)
        values[name] = check_value(name, spec[name]["type"], value)
    for item in cli_params:
        if "=" not in item:
            raise UsageError(f"--param expects NAME=VALUE, got {item!r}")
        name, raw = item.split("=", 1)
        name = name.strip()
        if name not in spec:
            raise unknown(name)
        values[name] = check_value(name, spec[name]["type"],
                                   convert_cli_value(name, spec[name]["type"], raw))
    return values


def verify_injection(params: dict) -> None:
    """Parse the code papermill will inject and insist it is literal assignments
    that evaluate back to exactly ``params``: no parameter can run code."""
    from papermill.translators import translate_parameters

    code = translate_parameters("python3", "python", params, "Parameters")
    try:
        tree = ast.parse(code)
    except SyntaxError as err:
        raise UsageError(f"parameters cannot be injected safely ({err})") from err
    seen = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)):
            raise UsageError("parameters would inject a statement that is not an assignment")
        try:
            seen[node.targets[0].id] = ast.literal_eval(node.value)
        except ValueError as err:
            raise UsageError(f"parameter {node.targets[0].id!r} is not a plain literal") from err
    if seen != params:
        bad = sorted(k for k in set(seen) | set(params) if seen.get(k) != params.get(k))
        raise UsageError(f"parameters {bad} would not reach the notebook unchanged; refused")
