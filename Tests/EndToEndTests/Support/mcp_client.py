"""Drives `scopelock mcp` with the official MCP Python SDK as its client, as a real agent host would.

    mcp_client.py SCOPELOCK WORKDIR session|throughput [COUNT]

`session` runs every check below and exits 0 when all hold (a failed check raises, exit 1); `throughput`
makes COUNT sequential `overlap` calls and prints one JSON line {"calls", "seconds", "per_second"}.
Run with the venv `.ci/run` makes (the `mcp` package from PyPI).
"""
import json
import os
import subprocess
import sys
import time

import anyio
import jsonschema
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

READ_ONLY = {"status", "check", "owner", "overlap", "plan", "plugins", "describe", "where"}
DESTRUCTIVE = {"clear", "release"}


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


class Client:
    def __init__(self, session, tools):
        self.session = session
        self.validators = {}
        for tool in tools:
            schema = tool.output_schema
            check(schema is not None, f"{tool.name} has no outputSchema")
            jsonschema.Draft202012Validator.check_schema(schema)
            for ref in refs(schema):
                check(ref.startswith("#/"), f"{tool.name}: outputSchema refers outside itself: {ref}")
            self.validators[tool.name] = jsonschema.Draft202012Validator(schema)

    async def call(self, name, arguments):
        result = await self.session.call_tool(name, arguments)
        structured = result.structured_content
        check(structured is not None, f"{name}: no structuredContent")
        self.validators[name].validate(structured)
        check(json.loads(result.content[0].text) == structured, f"{name}: content and structuredContent differ")
        check(result.is_error == (not structured["ok"]), f"{name}: isError {result.is_error} but ok {structured['ok']}")
        return structured


def cli(scopelock, workdir, *args):
    done = subprocess.run([scopelock, *args, "--json"], cwd=workdir, capture_output=True, text=True)
    return json.loads(done.stdout)


async def session_checks(scopelock, workdir):
    updates = []

    async def on_message(message):
        root = getattr(message, "root", message)
        if getattr(root, "method", None) == "notifications/resources/updated":
            updates.append(root.params.uri)

    server = StdioServerParameters(command=scopelock, args=["mcp", "--agent", "dev"], cwd=workdir,
                                   env={"SCOPELOCK_OUTPUT_DIR": workdir})
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write, message_handler=on_message) as session:
            init = await session.initialize()
            check(init.server_info.name == "scopelock", f"server {init.server_info}")
            check(init.capabilities.resources is not None and init.capabilities.resources.subscribe, "no resource subscriptions")

            # Annotations and self-contained output schemas on every tool.
            tools = (await session.list_tools()).tools
            names = [tool.name for tool in tools]
            check({"acquire", "release", "status", "overlap", "describe"} <= set(names), f"tools {names}")
            for tool in tools:
                hints = tool.annotations
                check(hints is not None, f"{tool.name} has no annotations")
                check(bool(hints.read_only_hint) == (tool.name in READ_ONLY), f"{tool.name}: readOnlyHint {hints.read_only_hint}")
                if tool.name not in READ_ONLY:
                    check(bool(hints.destructive_hint) == (tool.name in DESTRUCTIVE), f"{tool.name}: destructiveHint {hints.destructive_hint}")
                required = tool.input_schema.get("required", [])
                check("agent" not in required, f"{tool.name}: agent required despite --agent")
            client = Client(session, tools)

            # Calls: the default agent, a duration given as a number, a conflict, bad arguments.
            granted = await client.call("acquire", {"entries": ["src/app/"], "ttl": 90})
            check(granted["ok"] and granted["lock"]["agent"] == "dev", f"acquire {granted}")
            check(os.path.exists(os.path.join(workdir, "locks", "dev.lock")), "no lock file")
            refused = await client.call("acquire", {"agent": "tester", "entries": ["src/app/main_test.go"]})
            check(not refused["ok"] and refused["error"]["code"] == "conflict", f"refused {refused}")
            conflict = refused["error"]["conflicts"][0]
            check(conflict["agent"] == "dev" and conflict["witness"] == "src/app/main_test.go", f"conflict {conflict}")
            printed = cli(scopelock, workdir, "acquire", "tester", "src/app/main_test.go")
            check(printed["error"]["conflicts"] == refused["error"]["conflicts"], "MCP and CLI refusals differ")
            bad = await client.call("acquire", {"entries": ["x.txt"], "ttl": True})
            check(not bad["ok"] and bad["error"]["code"] == "invalid_input", f"bad ttl {bad}")
            overlap = await client.call("overlap", {"left": "src/*.py", "right": "src/a*"})
            check(overlap["overlap"] is True and "witness" in overlap, f"overlap {overlap}")
            # The output schemas keep every rule of the result schemas: results that break one are refused.
            without_witness = {key: value for key, value in overlap.items() if key != "witness"}
            for broken in (without_witness, {**overlap, "overlap": False}, {**overlap, "extra": 1}, {**overlap, "ok": False},
                           {"ok": False}, {"ok": False, "error": {"code": "conflict", "message": "held"}},
                           {"ok": False, "error": {"code": "no_such_code", "message": "x"}}):
                check(not client.validators["overlap"].is_valid(broken), f"the overlap outputSchema accepts {broken}")
            check(client.validators["overlap"].is_valid({"ok": False, "error": {"code": "invalid_input", "message": "x"}}), "a failure refused")
            described = await client.call("describe", {})
            check(described["name"] == "scopelock", f"describe {described}")
            unknown = None
            try:
                await session.call_tool("frobnicate", {})
            except Exception as error:  # a protocol error, not a tool result
                unknown = error
            check(unknown is not None, "an unknown tool was not a protocol error")

            # The status resource, and its subscription.
            resources = (await session.list_resources()).resources
            check([str(r.uri) for r in resources] == ["scopelock://status"], f"resources {resources}")
            read = await session.read_resource("scopelock://status")
            status = json.loads(read.contents[0].text)
            check(status["ok"] and [lock["agent"] for lock in status["locks"]] == ["dev"], f"status {status}")
            await session.subscribe_resource("scopelock://status")
            await client.call("acquire", {"agent": "docs", "entries": ["docs/"]})
            with anyio.fail_after(5):
                while "scopelock://status" not in updates:
                    await anyio.sleep(0.01)
            if os.environ.get("SCOPELOCK_EXTERNAL_UPDATES") == "1":
                updates.clear()
                cli(scopelock, workdir, "acquire", "outsider", "outside/")
                with anyio.fail_after(5):
                    while "scopelock://status" not in updates:
                        await anyio.sleep(0.01)

            # A cancelled acquire, waiting in line behind dev's lock, leaves the line at once: no waiter record, no
            # lock, and an overlapping acquire is not held back by it.
            waiting = os.path.join(workdir, "locks", "waiter.wait")
            waiter = os.path.join(workdir, "locks", "waiter.lock")
            scopes, answered = [], []

            async def waiting_acquire():
                with anyio.CancelScope() as scope:
                    scopes.append(scope)
                    await session.call_tool("acquire", {"agent": "waiter", "entries": ["src/app/main.go"], "wait": "60s"})
                    answered.append(True)

            async with anyio.create_task_group() as group:
                group.start_soon(waiting_acquire)
                with anyio.fail_after(5):
                    while not os.path.exists(waiting):
                        await anyio.sleep(0.01)
                scopes[0].cancel()
            check(not answered, "the waiting acquire was answered before its cancellation")
            with anyio.fail_after(5):
                while os.path.exists(waiting):
                    await anyio.sleep(0.01)
            released = await client.call("release", {})
            check(released["ok"], f"release {released}")
            taken = cli(scopelock, workdir, "acquire", "tester", "src/app/main.go")
            check(taken["ok"], f"a cancelled waiter held back an overlapping acquire: {taken}")
            check(not os.path.exists(waiter) and not os.path.exists(waiting), "a cancelled acquire left a lock or waiter")
            check(cli(scopelock, workdir, "release", "tester")["ok"], "release tester")

            # Many calls in a row, each answered.
            for index in range(200):
                answer = await client.call("overlap", {"left": f"a{index}/", "right": "a1*/x"})
                check(answer["ok"], f"overlap {answer}")
            final = await client.call("status", {})
            check(sorted(lock["agent"] for lock in final["locks"]) == sorted(
                ["docs"] + (["outsider"] if os.environ.get("SCOPELOCK_EXTERNAL_UPDATES") == "1" else [])), f"final {final}")
    print(json.dumps({"ok": True}))


async def throughput(scopelock, workdir, count):
    server = StdioServerParameters(command=scopelock, args=["mcp"], cwd=workdir, env={"SCOPELOCK_OUTPUT_DIR": workdir})
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            await session.list_tools()
            for _ in range(50):
                await session.call_tool("overlap", {"left": "src/**/*.go", "right": "src/app/*_test.go"})
                await session.send_ping()
            # The client's own floor in the same run: `ping`, which the server answers without any work.
            start = time.perf_counter()
            for _ in range(count):
                await session.send_ping()
            ping_seconds = time.perf_counter() - start
            start, cpu = time.perf_counter(), time.process_time()
            for _ in range(count):
                result = await session.call_tool("overlap", {"left": "src/**/*.go", "right": "src/app/*_test.go"})
                check(result.structured_content["overlap"] is True, f"{result}")
            seconds, client_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"calls": count, "seconds": round(seconds, 3), "per_second": round(count / seconds, 1),
                      "client_cpu_ms_per_call": round(1000 * client_cpu / count, 3),
                      "ping_per_second": round(count / ping_seconds, 1), "ratio_to_ping": round(ping_seconds / seconds, 3)}))


if __name__ == "__main__":
    binary, directory, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "session":
        anyio.run(session_checks, binary, directory)
    else:
        anyio.run(throughput, binary, directory, int(sys.argv[4]) if len(sys.argv) > 4 else 2000)
