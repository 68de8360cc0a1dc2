"""Validates JSON lines against one definition of docs/schema/lr-json.schema.json.

usage: validate.py SCHEMA FILE
FILE holds lines `DEF<TAB>JSON`: the schema definition (under $defs) and one JSON value.
Prints every line that does not validate (or is not JSON) and exits 1 if any did not.
"""
import json
import sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource


def main() -> int:
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    resource = Resource.from_contents(schema)
    registry = Registry().with_resource(schema["$id"], resource)
    validators = {}
    failures = 0
    checked = 0
    for number, raw in enumerate(open(sys.argv[2], encoding="utf-8"), 1):
        raw = raw.rstrip("\n")
        if not raw:
            continue
        name, _, text = raw.partition("\t")
        if name not in schema["$defs"]:
            print(f"line {number}: no definition {name!r} in the schema")
            failures += 1
            continue
        if name not in validators:
            validators[name] = Draft202012Validator(
                {"$ref": schema["$id"] + "#/$defs/" + name}, registry=registry)
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            print(f"line {number} ({name}): not JSON: {error}: {text[:200]}")
            failures += 1
            continue
        errors = sorted(validators[name].iter_errors(value), key=lambda e: list(e.path))
        checked += 1
        if errors:
            failures += 1
            best = errors[0]
            print(f"line {number} ({name}): {best.message} at {list(best.absolute_path)}: {text[:300]}")
    print(f"{checked} lines checked, {failures} invalid")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
