"""The freshness part of an unlocked vault: the database compared with what this computer saw.

The records themselves (sidecar, keyring anchor) are in :mod:`.freshness`;
this part decides when they are checked and rewritten: checked at unlock
before anything is written, rewritten after every committed change, and
while a problem stands every write is refused (reads and exports go on).
"""

from __future__ import annotations

import contextlib

from ombuds_desktop.vault import audit, freshness, keys
from ombuds_desktop.vault.errors import VaultError
from ombuds_desktop.vault.store import Session


class FreshnessGuard:
    def __init__(self, session: Session, trail: audit.AuditTrail) -> None:
        self._session = session
        self._trail = trail
        if not session.read_only:
            session.store.guard = self.before_write
            session.store.on_commit = self.after_write

    def check(self) -> list[str]:
        """Compare the database with the state kept outside it; writes nothing."""
        s = self._session
        # What this computer saw is read first, then the database: a window that commits
        # meanwhile writes the database before these records, so they can be older than
        # the snapshot below, never newer, unless the database really went back.
        doc = freshness.read_sidecar(s.data_dir)
        seen = freshness.seen_anchor(s.keys.freshness, s.vault_id)
        with s.read("checking the vault") as c:
            expected = (
                c.execute("SELECT 1 FROM meta WHERE key=?", (freshness.META_FLAG,)).fetchone()
                is not None
            )
            problems = freshness.compare(c, s.keys.freshness, s.vault_id, doc, expected)
            check = audit.verify(c, s.keys.audit)
            top = c.execute("SELECT max(seq) FROM audit").fetchone()[0] or 0
        if not check.ok:
            problems.append(f"the audit log failed its check: {check.problem}")
        anchor = freshness.check_anchor(seen, top)
        if anchor and not any(p.startswith(freshness.OLDER) for p in problems):
            problems.append(anchor)
        return problems

    def unlocked(self, event: str) -> bool:
        """At unlock: check first, then (if nothing is wrong) log the unlock; True if writable.

        Checked first: opening must not append to (and so re-anchor) the audit
        chain before it was compared with what this computer saw.
        """
        s = self._session
        s.freshness_problems = self.check()
        if s.read_only or s.freshness_problems:
            return False
        with s.write("opening the vault") as c:
            audit.fold_pending(c, s.keys.audit)
            self._trail.append(c, event, None, keys.now_iso())
            c.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?, '1')", (freshness.META_FLAG,)
            )
        self.save_anchor()
        return True

    def before_write(self, action: str) -> None:
        """Called by the store before every write transaction."""
        if self._session.freshness_problems:
            self._session.check_writable()

    def after_write(self, *, force: bool = False) -> None:
        """After each committed change: the freshness record follows the database."""
        s = self._session
        if s.read_only or s.freshness_problems or not s.is_open:
            return
        with contextlib.suppress(VaultError, OSError):
            with s.read() as c:
                state = freshness.current_state(c)
                parked = c.execute("SELECT count(*) FROM audit_pending").fetchone()[0]
            freshness.write_sidecar(
                s.data_dir, s.keys.freshness, s.vault_id, state, parked, force=force
            )

    def save_anchor(self) -> None:
        s = self._session
        if s.read_only or s.freshness_problems or not s.is_open:
            return
        with contextlib.suppress(VaultError):
            with s.read() as c:
                top = c.execute("SELECT max(seq) FROM audit").fetchone()[0] or 0
            freshness.save_anchor(s.keys.freshness, s.vault_id, top)

    def accept_current_state(self) -> None:
        """Accept the vault as it is now (after restoring a genuine backup, say).

        The audit chain is re-anchored at its current end, the freshness record
        and keyring anchor are rewritten, and an "accept-state" entry records
        that this happened.  Writing works again afterwards.
        """
        s = self._session
        with s.lock:
            s.check_open()
            if s.read_only:
                s.check_writable()
            problems, s.freshness_problems = s.freshness_problems, []
            try:
                with s.write("accepting the vault's state") as c:
                    audit.rekey(c, s.keys.audit, s.keys.audit)
                    audit.fold_pending(c, s.keys.audit)
                    self._trail.append(c, "accept-state", None, keys.now_iso())
                    c.execute(
                        "INSERT OR IGNORE INTO meta (key, value) VALUES (?, '1')",
                        (freshness.META_FLAG,),
                    )
            except BaseException:
                s.freshness_problems = problems
                raise
            self.after_write(force=True)
            self.save_anchor()
