"""The vault as parts (issue 10, item 11): no import cycles, no part reaching into another's
private members, and storage that does not import the form's rules (validation, formdef).

The status the drafts list shows and the forced answers of an imported file are the layer
above's (``validation.status``): the CLI and the GUI hand them to the vault.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ombuds_desktop.draft import dumps, facts, read_draft_file
from ombuds_desktop.samples import write_sample
from ombuds_desktop.validation.status import describe_draft, draft_status, prepare_import
from ombuds_desktop.vault import InvalidDraftError, Listing, Vault

from .support import REPO, cli_env, make_draft, run_cli

VAULT = REPO / "ombuds_desktop" / "vault"
RULES = ("ombuds_desktop.validation", "ombuds_desktop.formdef", "ombuds_desktop.draft.facts")


def _loaded_after(code: str) -> list[str]:
    probe = (
        f"import sys\n{code}\nprint('\\n'.join(m for m in sys.modules if m.startswith({RULES!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True
    )
    return [m for m in done.stdout.splitlines() if m]


def test_importing_the_vault_loads_no_rules() -> None:
    every_part = "; ".join(f"import ombuds_desktop.vault.{p.stem}" for p in VAULT.glob("*.py"))
    loaded = _loaded_after(f"import ombuds_desktop.vault; {every_part}; ombuds_desktop.vault.Vault")
    assert loaded == []


def test_the_probe_sees_rules_when_they_are_loaded() -> None:
    assert "ombuds_desktop.validation.status" in _loaded_after(
        "import ombuds_desktop.validation.status"
    )
    assert "ombuds_desktop.draft.facts" in _loaded_after("import ombuds_desktop.draft.facts")


def test_saving_and_listing_through_the_vault_alone_reads_no_form_definition(
    tmp_path: Path,
) -> None:
    """Storage stores the list summary it is given: a save does not load the edition file."""
    draft_file = tmp_path / "draft.json"
    draft_file.write_text(dumps(make_draft(receipt="IOE0912345678")), encoding="utf-8")
    loaded = _loaded_after(
        "from ombuds_desktop.draft.interchange import loads\n"
        "from ombuds_desktop.vault import Vault, keys\n"
        "keys.PASSPHRASE_SCRYPT = keys.RECOVERY_SCRYPT = {'n': 2**14, 'r': 8, 'p': 1}\n"
        f"vault, _ = Vault.create({str(tmp_path / 'data')!r}, passphrase='a long test phrase 1')\n"
        f"draft = loads(open({str(draft_file)!r}, encoding='utf-8').read())\n"
        "vault.save_draft(draft)\n"
        "draft.values['s5.phone'] = '+1 217 555 0199'\n"
        "vault.save_draft(draft)\n"
        "(row,) = vault.list_drafts()\n"
        "assert row.revision == 2 and row.status == 'draft', row\n"
        "assert row.client == '' and row.receipts == (), row  # nothing given, nothing derived\n"
        "vault.close()"
    )
    assert loaded == []


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any level (functions and TYPE_CHECKING too)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_no_vault_module_imports_validation_or_the_form_definition() -> None:
    offenders = {
        p.name: sorted(m for m in _imports(p) if m.startswith(RULES))
        for p in VAULT.glob("*.py")
        if any(m.startswith(RULES) for m in _imports(p))
    }
    assert offenders == {}


def _cycle(graph: dict[str, set[str]]) -> str | None:
    """One import cycle of ``graph`` ("a -> b -> a"), or None."""
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> str | None:
        for dep in sorted(graph.get(node, ())):
            if dep in path:
                return " -> ".join((*path[path.index(dep) :], dep))
            if dep not in done:
                found = visit(dep, (*path, dep))
                if found:
                    return found
        done.add(node)
        return None

    for node in sorted(graph):
        found = visit(node, (node,))
        if found:
            return found
    return None


def test_the_vault_modules_form_no_import_cycle() -> None:
    parts = {p.stem for p in VAULT.glob("*.py")} - {"__init__"}
    graph = {
        p.stem: {
            m.split(".")[2]
            for m in _imports(p)
            if m.startswith("ombuds_desktop.vault.") and m.split(".")[2] in parts
        }
        - {p.stem}
        for p in VAULT.glob("*.py")
        if p.stem in parts
    }
    assert graph["vault"] >= {"drafts", "documents", "rotation"}  # the graph is real
    assert _cycle(graph) is None
    assert _cycle({**graph, "store": graph["store"] | {"vault"}}) is not None


def _private_names(tree: ast.Module) -> set[str]:
    """The ``_names`` a module defines: its functions and classes, their methods, attributes."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def _reaching(sources: dict[str, str]) -> list[str]:
    """Uses of ``x._name`` where ``_name`` is another module's own private member."""
    trees = {name: ast.parse(text) for name, text in sources.items()}
    own = {name: _private_names(tree) for name, tree in trees.items()}
    found = []
    for name, tree in trees.items():
        others = set().union(*(v for k, v in own.items() if k != name))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in others
                and node.attr not in own[name]
            ):
                found.append(f"{name}:{node.lineno} {ast.unparse(node)}")
    return found


def test_no_part_reaches_into_another_parts_private_members() -> None:
    """Parts use each other's public operations only."""
    sources = {p.name: p.read_text(encoding="utf-8") for p in VAULT.glob("*.py")}
    assert _reaching(sources) == []
    bad = {"a.py": "class A:\n    def _secret(self): ...\n", "b.py": "def f(a):\n    a._secret()\n"}
    assert _reaching(bad) == ["b.py:2 a._secret"]


APP_OBJECTS = {"vault", "state", "app_state", "settings", "home"}


def _any_for_app_objects(source: str) -> list[str]:
    """Annotations typing the vault, the app state, settings or the home window as ``Any``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        named: list[tuple[str, ast.expr | None]] = []
        if isinstance(node, ast.AnnAssign):
            target = node.target
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            named.append((name, node.annotation))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            named += [(a.arg, a.annotation) for a in (*args.posonlyargs, *args.args)]
            named += [(a.arg, a.annotation) for a in args.kwonlyargs]
            named.append((node.name, node.returns))
        for name, annotation in named:
            if name in APP_OBJECTS and annotation is not None and "Any" in ast.unparse(annotation):
                found.append(f"{node.lineno}: {name}: {ast.unparse(annotation)}")
    return found


def test_the_ui_and_the_cli_give_the_vault_a_type_a_checker_sees() -> None:
    """No ``Any`` standing for the vault, the app state or settings (issue 10, item 11)."""
    package = REPO / "ombuds_desktop"
    found = {
        str(p.relative_to(package)): _any_for_app_objects(p.read_text(encoding="utf-8"))
        for folder in ("ui", "cli")
        for p in sorted((package / folder).glob("*.py"))
    }
    assert {k: v for k, v in found.items() if v} == {}
    assert sorted(
        _any_for_app_objects(
            "class S:\n    def __init__(self):\n        self.vault: Any = None\n"
            "    @property\n    def home(self) -> Any: ...\n"
            "def f(state: Any, vault: Vault | None, value: Any) -> None: ...\n"
        )
    ) == ["3: vault: Any", "5: home: Any", "6: state: Any"]


# ---------------------------------------------------------------- the moved behaviour


def _vawa_without_mail_only(folder: Path) -> Path:
    path = write_sample("vawa-self", folder)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["values"].pop("s5.mail_only", None)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_prepare_import_sets_forced_answers_and_recomputes_the_status(tmp_path: Path) -> None:
    received = read_draft_file(_vawa_without_mail_only(tmp_path / "a"))
    prepared = prepare_import(received)
    assert prepared.values["s5.mail_only"] is True
    assert prepared.status == draft_status(prepared)
    assert "s5.mail_only" not in received.values  # the caller's draft is not changed
    claims = read_draft_file(write_sample("vawa-self", tmp_path / "b"))
    claims.status = "ready"  # the file says so ...
    claims.values["s2.explanation"] = ""  # ... but an answer is missing
    assert prepare_import(claims).status == "draft"


def test_prepare_import_refuses_an_unstorable_draft_in_one_line() -> None:
    draft = make_draft()
    deep: object = "x"
    for _ in range(600):
        deep = [deep]
    draft.values["s8.description"] = deep
    with pytest.raises(InvalidDraftError, match="cannot be stored"):
        prepare_import(draft)


def test_the_list_shows_what_the_layer_above_describes(vault: Vault, data_dir: Path) -> None:
    vault.close()
    draft = make_draft("Ánh", "Nguyễn Thị", receipt="IOE0912345678", form_number="I-765")
    with Vault.open(data_dir) as plain:  # nothing given: the recorded status, nothing derived
        plain.save_draft(draft)
        row = plain.summary(draft.id)
        assert (row.status, row.client, row.forms_and_receipts, row.receipts) == (
            "draft",
            "",
            "",
            (),
        )
    given = Listing("ready", "Someone Given", "I-1 GIVEN0000001", ("GIVEN0000001",))
    with Vault.open(data_dir, describe=lambda d: given) as checked:
        assert checked.summary(draft.id).client == ""  # written before: unchanged
        checked.save_draft(checked.load_draft(draft.id))
        row = checked.summary(draft.id)
        assert (row.status, row.client, row.forms_and_receipts, row.receipts) == (
            "ready",
            "Someone Given",
            "I-1 GIVEN0000001",
            ("GIVEN0000001",),
        )
        assert [r.id for r in checked.search("given0000001")] == [draft.id]
    with Vault.open(data_dir, describe=describe_draft) as app:  # as the CLI and the GUI
        app.save_draft(app.load_draft(draft.id))
        row = app.summary(draft.id)
        assert (row.status, row.client, row.forms_and_receipts, row.receipts) == (
            draft_status(draft),
            "Ánh Nguyễn Thị",
            "I-765 IOE0912345678",
            ("IOE0912345678",),
        )
        assert [r.id for r in app.search("nguyen anh")] == [draft.id]


def test_describe_draft_is_what_the_list_showed_before(tmp_path: Path) -> None:
    """Status from the rules, client, forms and receipts from the edition's meanings."""
    draft = read_draft_file(write_sample("family-parent", tmp_path))
    listing = describe_draft(draft)
    assert listing == Listing(
        status=draft_status(draft),
        client=facts.client_name(draft),
        forms_and_receipts=facts.forms_and_receipts(draft),
        receipts=tuple(facts.receipt_numbers(draft)),
    )
    assert listing.client and listing.receipts and listing.receipts[0] in listing.forms_and_receipts


def test_cli_drafts_list_shows_client_forms_and_receipts(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "data")
    assert run_cli(env, "vault", "init").returncode == 0
    path = tmp_path / "in" / "draft.json"
    path.parent.mkdir()
    path.write_text(
        dumps(make_draft("Ánh", "Nguyễn Thị", receipt="IOE0912345678", form_number="I-765")),
        encoding="utf-8",
    )
    done = run_cli(env, "drafts", "import", str(path))
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(run_cli(env, "drafts", "list", "--json").stdout)
    assert (row["client"], row["forms_and_receipts"], row["receipts"]) == (
        "Ánh Nguyễn Thị",
        "I-765 IOE0912345678",
        ["IOE0912345678"],
    )
    table = run_cli(env, "drafts", "list").stdout
    assert "Ánh Nguyễn Thị" in table and "I-765 IOE0912345678" in table
    found = run_cli(env, "drafts", "list", "--search", "nguyen IOE0912345678", "--json")
    assert [r["id"] for r in json.loads(found.stdout)] == [row["id"]]


def test_cli_import_applies_forced_answers_and_lists_the_computed_status(
    tmp_path: Path,
) -> None:
    env = cli_env(tmp_path, tmp_path / "data")
    assert run_cli(env, "vault", "init").returncode == 0
    path = _vawa_without_mail_only(tmp_path / "in")
    done = run_cli(env, "drafts", "import", str(path))
    assert done.returncode == 0, done.stderr
    draft_id = done.stdout.strip()
    shown = run_cli(env, "drafts", "show", draft_id)
    assert json.loads(shown.stdout)["values"]["s5.mail_only"] is True
    claims = read_draft_file(write_sample("vawa-self", tmp_path / "claims"))
    claims.status, claims.values["s2.explanation"] = "ready", ""
    (tmp_path / "claims" / "vawa-self.json").write_text(dumps(claims), encoding="utf-8")
    bad = run_cli(env, "drafts", "import", str(tmp_path / "claims" / "vawa-self.json"))
    assert bad.returncode == 0, bad.stderr
    listed = run_cli(env, "drafts", "list", "--json")
    status = {row["id"]: row["status"] for row in json.loads(listed.stdout)}
    expected = draft_status(prepare_import(read_draft_file(path)))
    assert status == {draft_id: expected, bad.stdout.strip(): "draft"}
