#!/usr/bin/env python3
"""A minimal client for `scopelock serve`: start it once, send JSON-RPC requests, read answers by id.

Copy the ScopeLock class into an agent framework. Each call returns the result object, exactly what
`scopelock METHOD ... --json` prints: check result["ok"]; a refused lock is {"ok": false, "error": {...}}.
Only malformed calls (unknown method, bad params) raise RPCError.

    python3 examples/rpc/driver.py [SCOPELOCK_ARGS...]    # e.g. -o build/workflow
"""

import itertools
import json
import subprocess
import sys


class RPCError(Exception):
    """A JSON-RPC error: the call itself was malformed (code -32700 to -32603)."""

    def __init__(self, error):
        super().__init__(f"{error['code']}: {error['message']}")
        self.code, self.data = error["code"], error.get("data")


class ScopeLock:
    def __init__(self, *args, executable="scopelock"):
        self.process = subprocess.Popen(
            [executable, "serve", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        self.ids = itertools.count(1)

    def call(self, method, **params):
        """Sends one request and returns its result; answers come back in order, one line each."""
        request_id = next(self.ids)
        message = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise EOFError("scopelock serve ended")
            answer = json.loads(line)
            if answer.get("id") == request_id:
                break
        if "error" in answer:
            raise RPCError(answer["error"])
        return answer["result"]

    def notify(self, method, **params):
        """Sends a notification: it runs, but gets no answer."""
        self.process.stdin.write(json.dumps({"jsonrpc": "2.0", "method": method, "params": params}) + "\n")
        self.process.stdin.flush()

    def close(self):
        self.process.stdin.close()
        return self.process.wait()


if __name__ == "__main__":
    scopelock = ScopeLock(*sys.argv[1:])
    granted = scopelock.call("acquire", agent="dev", entries=["src/app/"], task="build the app", ttl="30m")
    print("dev:", "granted token %s" % granted["lock"]["token"] if granted["ok"] else granted["error"]["message"])
    refused = scopelock.call("acquire", agent="tester", entries=["src/app/main_test.go"])
    if not refused["ok"]:
        conflict = refused["error"]["conflicts"][0]
        print(f"tester: refused, {conflict['agent']} holds {conflict['held']} (both cover {conflict['witness']})")
    try:
        scopelock.call("acquire", agent="tester")
    except RPCError as error:
        print("malformed call:", error, error.data)
    if granted["ok"]:
        print("released:", scopelock.call("release", agent="dev", token=granted["lock"]["token"])["ok"])
    sys.exit(scopelock.close())
