#!/usr/bin/env python3
"""Parse a FHIR R4 Bundle file with the fhir.resources R4 models.

Independent of Tailor's Rust code: every entry's resource is parsed with the model of
its resourceType (types, cardinalities, choice types, primitive formats such as dates,
instants, ids and URIs), then the bundle as a whole. Prints one line per problem and
exits 1 on any, 0 with a summary line otherwise.

Usage: validate_fhir.py BUNDLE.json
"""
import json
import sys


def main(argv):
    if len(argv) != 2:
        print("usage: validate_fhir.py BUNDLE.json", file=sys.stderr)
        return 2
    try:
        from fhir.resources import construct_fhir_element
        from fhir.resources import __fhir_version__ as fhir_version
        from fhir.resources import __version__ as version
    except ImportError as e:
        print(f"fhir.resources is not installed ({e}); see tests/requirements.txt", file=sys.stderr)
        return 2
    if fhir_version != "4.0.1":
        print(
            f"fhir.resources {version} models FHIR {fhir_version}, not R4 (4.0.1); "
            "see tests/requirements.txt",
            file=sys.stderr,
        )
        return 2
    path = argv[1]
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    problems = []
    entries = data.get("entry") or []
    for n, entry in enumerate(entries):
        resource = entry.get("resource") or {}
        rtype = resource.get("resourceType", "?")
        where = f"{path}: entry {n} ({rtype} {entry.get('fullUrl', '')})"
        try:
            construct_fhir_element(rtype, resource)
        except Exception as e:  # the models raise pydantic.ValidationError and others
            problems.append(f"{where}: {e}")
    try:
        construct_fhir_element("Bundle", data)
    except Exception as e:
        problems.append(f"{path}: Bundle: {e}")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) in {len(entries)} resources", file=sys.stderr)
        return 1
    print(f"ok: {len(entries)} resources parsed with fhir.resources {version} (FHIR {fhir_version})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
