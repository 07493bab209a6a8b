"""The background worker reports failures of the job, and only those, as failures."""

from __future__ import annotations

import pytest

from ombuds_desktop.ui import dialogs
from ombuds_desktop.ui.operations import Operation


def _run(qtbot, fn, *, with_failure_callback: bool) -> dict[str, list]:
    seen: dict[str, list] = {"success": [], "failure": [], "cancelled": []}
    op = (
        Operation(None, fn)
        .success(seen["success"].append)
        .cancelled(lambda: seen["cancelled"].append(True))
    )
    if with_failure_callback:
        op.failure(seen["failure"].append)
    op.run()
    qtbot.waitUntil(lambda: op not in Operation._running, timeout=10000)
    return seen


@pytest.fixture
def error_dialogs(monkeypatch: pytest.MonkeyPatch) -> list:
    shown: list = []
    monkeypatch.setattr(dialogs, "show_error", lambda *args: shown.append(args))
    return shown


@pytest.mark.parametrize("stop", [SystemExit(3), KeyboardInterrupt()], ids=type)
@pytest.mark.parametrize("with_failure_callback", [True, False])
def test_exit_and_interrupt_are_not_failures(qtbot, error_dialogs, stop, with_failure_callback):
    def job(progress, token):
        raise stop

    seen = _run(qtbot, job, with_failure_callback=with_failure_callback)
    assert seen == {"success": [], "failure": [], "cancelled": [True]}
    assert error_dialogs == []


@pytest.mark.parametrize("with_failure_callback", [True, False])
def test_an_error_in_the_job_is_a_failure(qtbot, error_dialogs, with_failure_callback):
    def job(progress, token):
        raise ValueError("the folder is read-only")

    seen = _run(qtbot, job, with_failure_callback=with_failure_callback)
    assert seen["success"] == [] and seen["cancelled"] == []
    if with_failure_callback:
        assert [str(e) for e in seen["failure"]] == ["the folder is read-only"]
        assert error_dialogs == []
    else:
        assert [args[1] for args in error_dialogs] == ["The operation failed"]


def test_a_result_is_a_success(qtbot, error_dialogs):
    seen = _run(qtbot, lambda progress, token: 42, with_failure_callback=True)
    assert seen == {"success": [42], "failure": [], "cancelled": []}
