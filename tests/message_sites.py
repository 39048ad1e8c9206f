"""The messages our code stores for users to read, collected from the source (for tests/test_shown_coverage.py).

Every place that writes a message a user sees, in English, into documents.error,
the review queue or the run log: a ``raise`` of a BadInputError family class, an
``Issue(code, message)``, an archive's ``refuse(member, reason)``, a worker's or
pool's failure, a container's or a folder's problem.  Each message expression is
turned into a pattern with ``{}`` where a value goes in (f-string values, calls,
names we cannot resolve); module constants and small message functions are
followed.  The test fills the holes with a sample value and asks
``core/shown.py`` whether a template translates it.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("planingest/ingest", "planingest/run", "planingest/interpret", "planingest/normalize")
#: the exceptions that mean "the file's fault": their message becomes documents.error
BAD_INPUT = {"BadInputError", "EncryptedDocumentError", "UnsupportedFormatError", "MissingToolError"}
HOLE = "\x00"  # where a value goes in
#: names of a message passed in by the caller: the caller's site is the one that counts
PASSED_ON = {"message", "reason", "error"}


@dataclass(frozen=True)
class Site:
    where: str  # path:line
    pattern: str  # the message with HOLE for each value

    def filled(self, value: str = "Q7") -> str:
        return self.pattern.replace(HOLE, value)


@cache
def _module_strings() -> dict[str, str]:
    """Module-level ``NAME = "text"`` constants of every module (names are unique enough across the package)."""
    found: dict[str, str] = {}
    for path in (ROOT / "planingest").rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
                found[node.targets[0].id] = node.value.value
    return found


def _message_functions(tree: ast.Module) -> dict[str, ast.expr]:
    """Module functions whose body ends in ``return <message>`` and whose name says they make a message."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and "message" in node.name:
            returns = [n for n in node.body if isinstance(n, ast.Return) and n.value is not None]
            if returns:
                found[node.name] = returns[-1].value
    return found


def _pattern(node: ast.expr | None, functions: dict[str, ast.expr]) -> str | None:
    """The message ``node`` makes, HOLE for each value; None when it is not a message (or composite)."""
    if node is None:
        return None
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        out = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                out.append(str(part.value))
            elif isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.Name):
                name = part.value.id
                if name in PASSED_ON:
                    return None
                out.append(_module_strings().get(name, HOLE) if name.lstrip("_").isupper() else HOLE)
            else:
                out.append(HOLE)
        return "".join(out)
    if isinstance(node, ast.Name):
        return None if node.id in PASSED_ON else _module_strings().get(node.id, HOLE)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _pattern(node.left, functions), _pattern(node.right, functions)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.Subscript):
        return _pattern(node.value, functions)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "join":
            return None  # several messages joined: each is a site of its own
        if isinstance(func, ast.Name) and func.id in functions:
            return _pattern(functions[func.id], functions)
        return HOLE
    return HOLE


def _arg(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    if len(call.args) > index:
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _messages(tree: ast.Module) -> list[tuple[int, ast.expr | None, str]]:
    """(line, message expression, suffix) of every site in a module; suffix is what a helper appends."""
    out: list[tuple[int, ast.expr | None, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and _call_name(node.exc) in BAD_INPUT:
            out.append((node.lineno, _arg(node.exc, 0, "message"), ""))
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        if name == "Issue":
            out.append((node.lineno, _arg(node, 1, "message"), ""))
        elif name == "refuse":
            out.append((node.lineno, _arg(node, 1, "reason"), ""))
        elif name in ("_failure", "_fail"):
            out.append((node.lineno, _arg(node, 0, "error"), ""))
        elif name == "_failed":
            out.append((node.lineno, _arg(node, 2, "error"), ""))
        elif name == "unread" and len(node.args) >= 4:
            out.append((node.lineno, node.args[3], ""))
        elif name == "xml_error":
            out.append((node.lineno, _arg(node, 1, "message"), " (" + HOLE + ")"))
        elif name == "parse_xml":
            out.append((node.lineno, _arg(node, 1, "message"), " (" + HOLE + ")"))
            out.append((node.lineno, _arg(node, 1, "message"), ": the part is empty"))
    for node in ast.walk(tree):  # a function making a message: its own site
        if isinstance(node, ast.FunctionDef) and "message" in node.name:
            for ret in ast.walk(node):
                if isinstance(ret, ast.Return) and ret.value is not None:
                    out.append((ret.lineno, ret.value, ""))
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple) \
                and isinstance(node.value, ast.Tuple):  # status, error = Status.X, "message"
            for target, value in zip(node.targets[0].elts, node.value.elts, strict=False):
                if isinstance(target, ast.Name) and target.id == "error":
                    out.append((node.lineno, value, ""))
        if isinstance(node, ast.Call) and _call_name(node) == "append" and node.args \
                and isinstance(node.args[0], ast.Tuple) and len(node.args[0].elts) == 3:  # (path, status, message)
            out.append((node.lineno, node.args[0].elts[2], ""))
    return out


def message_sites() -> list[Site]:
    """Every message site under FOLDERS whose message is known (a pattern, not just one value)."""
    sites = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            functions = _message_functions(tree)
            for line, node, suffix in _messages(tree):
                pattern = _pattern(node, functions)
                if pattern is None or not pattern.strip(HOLE + " ;:()"):
                    continue  # a value passed on (str(exc), a message made elsewhere) or several joined
                sites.append(Site(f"{path.relative_to(ROOT)}:{line}", pattern + suffix))
    return sites
