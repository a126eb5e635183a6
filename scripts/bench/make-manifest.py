#!/usr/bin/env python3
"""Writes a JSON manifest of N agents x 20 entries with sparse conflicts, for timing `scopelock plan`.

    make-manifest.py N > MANIFEST.json

Agent i has the scope make-locks.py gives it (under svc<i>/); every tenth agent also claims a file in
the previous agent's mod0/, so N agents hold N / 10 conflicting pairs. The shapes match Benchmarks/
(Fixtures.manifestScope). The root is the manifest's folder, output_directory a `out` folder beside it.
"""
import json
import sys

sys.dont_write_bytecode = True

from importlib.machinery import SourceFileLoader  # noqa: E402
from pathlib import Path  # noqa: E402

locks = SourceFileLoader("make_locks", str(Path(__file__).with_name("make-locks.py"))).load_module()


def main():
    count = int(sys.argv[1])
    agents = []
    for i in range(count):
        entries = locks.scope(i)
        if i > 0 and i % 10 == 0:
            entries[9] = f"svc{i - 1}/mod0/shared.go"
        agents.append({
            "name": f"agent{i}",
            "task": f"benchmark agent {i}",
            "files": [e for e in entries if not e.endswith("/")],
            "directories": [e for e in entries if e.endswith("/")],
        })
    manifest = {"version": 1, "workflow": f"bench-{count}", "root": ".", "output_directory": "out",
                "strategy": "sequential", "agents": agents}
    json.dump(manifest, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
