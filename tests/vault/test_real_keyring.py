"""The real OS keyring path (Secret Service under ``./dev test``): create, reopen, recover.

Skipped, with the reason, where no real keyring answers (plain ``pytest``
without a D-Bus session).  ``./dev test`` runs these inside
``dbus-run-session`` with an unlocked throwaway gnome-keyring.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail, null

from ombuds_desktop.cli.testing import CliResult, run_cli
from ombuds_desktop.vault import KeyMissingError, Vault, keys

from .support import REPO, make_draft

_BACKEND = keyring.get_keyring()
REAL_KEYRING = (
    not isinstance(_BACKEND, (fail.Keyring, null.Keyring))
    and "PYTHON_KEYRING_BACKEND" not in os.environ
    and keys.usable_keyring()[0] is not None
)

pytestmark = pytest.mark.skipif(
    not REAL_KEYRING,
    reason=f"no real OS keyring in this session ({type(_BACKEND).__name__}); "
    "run ./dev test for the Secret Service tests",
)


@pytest.fixture
def real_backend():
    previous = keyring.get_keyring()
    keyring.set_keyring(_BACKEND)
    try:
        yield _BACKEND
    finally:
        keyring.set_keyring(previous)


def _entries(backend: object, vault: Vault) -> list[str]:
    with vault._store.read() as c:
        ids = [i for (i,) in c.execute("SELECT id FROM key_wraps WHERE method='keyring'")]
    return [i for i in ids if keys.load_kek(backend, vault.vault_id, i) is not None]  # type: ignore[arg-type]


def test_create_reopen_recover(real_backend: object, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    vault, code = Vault.create(data_dir)
    assert vault.protection == "keyring"
    draft = make_draft("Ánh", "Nguyễn Thị")
    vault.save_draft(draft)
    [wrap_id] = _entries(real_backend, vault)
    vault_id = vault.vault_id
    vault.close()

    with Vault.open(data_dir) as again:
        assert again.load_draft(draft.id).values == draft.values
        code = again.rotate_key().recovery_code  # a new key needs a new recovery code
        [new_wrap] = _entries(real_backend, again)
        assert new_wrap != wrap_id
    assert keys.load_kek(real_backend, vault_id, wrap_id) is None  # type: ignore[arg-type]

    keys.delete_kek(real_backend, vault_id, new_wrap)  # type: ignore[arg-type]
    with pytest.raises(KeyMissingError, match="not in the system keyring"):
        Vault.open(data_dir)
    with Vault.recover(data_dir, code) as recovered:
        assert recovered.protection == "keyring"
        assert recovered.load_draft(draft.id).values == draft.values
        [final] = _entries(real_backend, recovered)
    with Vault.open(data_dir) as v:
        assert len(v.list_drafts()) == 1
    keys.delete_kek(real_backend, vault_id, final)  # type: ignore[arg-type]


@pytest.mark.slow
def test_cli_against_the_real_keyring(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMBUDS_")}
    env["PYTHONPATH"] = str(REPO)
    env["OMBUDS_DATA_DIR"] = str(tmp_path / "data")

    def run(*args: str) -> CliResult:  # separate processes: each finds the keyring afresh
        return run_cli(*args, env=env, replace_env=True, in_process=False, timeout=120)

    init = run("vault", "init")
    assert init.returncode == 0, init.stderr
    assert "system keyring" in init.stdout
    status = json.loads(run("vault", "status", "--json").stdout)
    assert status["protection"] == "keyring" and "present" in status["keyring_note"]
    assert "SecretService" in status["keyring_backend"] or status["keyring_backend"]
    from ombuds_desktop.draft import dumps

    draft_file = tmp_path / "d.json"
    draft_file.write_text(dumps(make_draft()))
    assert run("drafts", "import", str(draft_file)).returncode == 0
    # a second process opens the same vault through the keyring
    assert "Maria Testperson" in run("drafts", "list").stdout
    assert run("vault", "rotate-key").returncode == 0
    assert "Maria Testperson" in run("drafts", "list").stdout
