"""Child process for the crash-safety test: runs store operations until it is killed.

Argv: config root, a JSON list of operations, and optionally how many of them to run (the
replay of a violation runs exactly the completed ones, then stops). After each completed
operation it appends its index to `<root>/../done.log` (flushed and fsynced) so the parent
knows how far it got.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from tgtui.accounts import Account, AccountStore
from tgtui.accounts.secrets import SecretStore


def main() -> None:
    root = Path(sys.argv[1])
    ops = json.loads(sys.argv[2])
    if len(sys.argv) > 3:
        ops = ops[: int(sys.argv[3])]
    store = AccountStore(root, SecretStore(mode="off"))
    log = os.open(root.parent / "done.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    for index, (op, name, value) in ops:
        if op == "create":
            store.create(
                Account(name=name, api_id=1000 + len(name), phone="+15551234567", label=value),
                "ab" * 16,
            )
        elif op == "label":
            store.update(store.get(name).__class__(**{**store.get(name).__dict__, "label": value}))
        elif op == "hash":
            store.set_api_hash(store.get(name), value)
        elif op == "remove":
            store.remove(name)
        elif op == "restore":
            store.restore(name)
        os.write(log, f"{index}\n".encode())
        os.fsync(log)
    print("finished", flush=True)


if __name__ == "__main__":
    main()
