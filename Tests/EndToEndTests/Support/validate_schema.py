#!/usr/bin/env python3
"""Validates JSON instances against one of scopelock's JSON Schemas (draft 2020-12).

    validate_schema.py SCHEMA < instances.jsonl
        Reads one JSON instance per non-empty line of stdin and validates each against SCHEMA.
        Every *.schema.json beside SCHEMA is registered under its $id, so relative $refs between
        the files resolve without network access. Prints "LINE: PATH: MESSAGE" for every error
        and exits 1 if any instance is invalid (or not JSON), 0 if all are valid.

    validate_schema.py --check-schemas DIR
        Checks every *.schema.json in DIR: valid against the draft 2020-12 metaschema, with
        $schema, an $id of https://scopelock.dev/schemas/<file name>, a title and a description,
        a description on every declared property, and every $ref resolvable. Exits 1 on any problem.

Needs the `jsonschema` (4.18 or later) and `referencing` packages.
"""

import json
import pathlib
import sys

try:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as error:  # pragma: no cover - environment problem, reported plainly
    print(f"validate_schema.py needs the jsonschema and referencing packages: {error}", file=sys.stderr)
    sys.exit(3)

ID_PREFIX = "https://scopelock.dev/schemas/"


def load_schemas(directory):
    """Every *.schema.json in directory, as {path: schema}."""
    schemas = {}
    for path in sorted(pathlib.Path(directory).glob("*.schema.json")):
        with open(path, encoding="utf-8") as handle:
            schemas[path] = json.load(handle)
    return schemas


def registry_for(schemas):
    """A registry holding every schema under its $id."""
    resources = [
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT202012))
        for schema in schemas.values()
        if isinstance(schema, dict) and "$id" in schema
    ]
    return Registry().with_resources(resources)


def location(error):
    """A readable JSON path for an error's place in the instance."""
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def validate_instances(schema_path):
    schema_path = pathlib.Path(schema_path)
    schemas = load_schemas(schema_path.parent)
    if schema_path not in schemas:
        with open(schema_path, encoding="utf-8") as handle:
            schemas[schema_path] = json.load(handle)
    schema = schemas[schema_path]
    validator = Draft202012Validator(schema, registry=registry_for(schemas))
    failures = 0
    count = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        count += 1
        try:
            instance = json.loads(line)
        except json.JSONDecodeError as error:
            print(f"{number}: not JSON: {error}: {line.strip()[:200]}")
            failures += 1
            continue
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        if errors:
            failures += 1
            for error in errors:
                print(f"{number}: {location(error)}: {error.message}")
                for cause in error.context or []:
                    print(f"{number}:   {location(cause)}: {cause.message}")
            print(f"{number}: instance: {line.strip()[:2000]}")
    print(f"{count - failures} of {count} instance(s) valid against {schema_path.name}")
    return 1 if failures else 0


def undescribed_properties(node, where="#"):
    """Declared properties without a description, ignoring the conditions of if clauses."""
    missing = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "if":
                continue
            if key == "properties" and isinstance(value, dict):
                for name, subschema in value.items():
                    if isinstance(subschema, dict) and not subschema.get("description"):
                        missing.append(f"{where}/properties/{name}")
            missing += undescribed_properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            missing += undescribed_properties(value, f"{where}/{index}")
    return missing


def references(node):
    """Every $ref value in a schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def check_schemas(directory):
    schemas = load_schemas(directory)
    if not schemas:
        print(f"no *.schema.json files in {directory}")
        return 1
    registry = registry_for(schemas)
    problems = []
    for path, schema in schemas.items():
        name = path.name
        try:
            Draft202012Validator.check_schema(schema)
        except Exception as error:  # SchemaError, with the metaschema's message
            problems.append(f"{name}: not a valid draft 2020-12 schema: {getattr(error, 'message', error)}")
            continue
        if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
            problems.append(f"{name}: $schema is not draft 2020-12")
        if schema.get("$id") != ID_PREFIX + name:
            problems.append(f"{name}: $id is {schema.get('$id')!r}, expected {ID_PREFIX + name!r}")
        for key in ("title", "description"):
            if not schema.get(key):
                problems.append(f"{name}: no {key}")
        for pointer in undescribed_properties(schema):
            problems.append(f"{name}: property without description at {pointer}")
        resolver = registry.resolver(base_uri=schema.get("$id", ""))
        for reference in sorted(set(references(schema))):
            try:
                resolver.lookup(reference)
            except Exception as error:
                problems.append(f"{name}: $ref {reference!r} does not resolve: {error}")
    for problem in problems:
        print(problem)
    print(f"checked {len(schemas)} schema(s), {len(problems)} problem(s)")
    return 1 if problems else 0


def main(arguments):
    if len(arguments) == 2 and arguments[0] == "--check-schemas":
        return check_schemas(arguments[1])
    if len(arguments) == 1 and not arguments[0].startswith("-"):
        return validate_instances(arguments[0])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
