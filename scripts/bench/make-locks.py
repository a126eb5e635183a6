#!/usr/bin/env python3
"""Writes N lock records of other agents into a locks directory, each with 20 entries on a scope of its own.

    make-locks.py LOCKS N

Agent i holds 10 files, 8 directories and 2 globs (10%) under svc<i>/, unexpired for a day, in the
format scopelock writes (indented JSON, sorted keys, trailing newline), so scopelock, the bash + jq
status quo and the C floor all read the same bytes. The shapes match Benchmarks/ (Fixtures.swift).
"""
import datetime
import json
import os
import sys


def scope(i):
    entries = [f"svc{i}/pkg{k % 4}/file{k}.go" for k in range(10)]
    entries += [f"svc{i}/mod{k}/" for k in range(8)]
    entries += [f"svc{i}/gen/**/*.pb.go", f"svc{i}/api/v{{1,2}}/*_test.go"]
    return entries


def main():
    locks, count = sys.argv[1], int(sys.argv[2])
    os.makedirs(locks, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
    for i in range(count):
        entries = scope(i)
        record = {
            "agent": f"agent{i}",
            "directories": [e for e in entries if e.endswith("/")],
            "expires_at": stamp(now + datetime.timedelta(days=1)),
            "files": [e for e in entries if not e.endswith("/")],
            "host": "bench",
            "locked_at": stamp(now),
            "mode": "exclusive",
            "pid": 4242,
            "task_description": f"benchmark agent {i}",
            "token": i + 1,
        }
        with open(os.path.join(locks, f"agent{i}.lock"), "w") as out:
            out.write(json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    with open(os.path.join(locks, ".epoch"), "w") as out:
        out.write(f"{count:019d}\n")


if __name__ == "__main__":
    main()
