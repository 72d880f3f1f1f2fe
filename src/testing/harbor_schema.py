#!/usr/bin/env python3
"""Validates JSON documents against one component schema of Harbor's scanner adapter spec.

Usage: harbor_schema.py [--spec SPEC.yaml] [--loose] COMPONENT FILE.json...
  e.g. harbor_schema.py HarborVulnerabilityReport report.json
SPEC defaults to tests/fixtures/harbor-scanner-api/scanner-adapter-openapi-v1.2.yaml. Prints one
line per error and exits 1 on any (2 on bad usage or an unknown component).

OpenAPI 3.0 schemas are not quite JSON Schema (tests/fixtures/harbor-scanner-api/PROVENANCE.md,
errata): `nullable: true` becomes a null alternative; `format: date-time` and `uri` are checked
here (no optional jsonschema extras needed), OpenAPI's `float` and `url` are not formats JSON
Schema knows and stay unchecked. Unless --loose, every object schema that lists `properties` and
says nothing of others gets additionalProperties: false, so a misspelt field is an error too (the
spec's open maps, vendor_attributes, sbom and ScannerProperties, say so and stay open).
Needs python3-yaml and python3-jsonschema (Debian 12: 4.10; newer works too)."""
import copy
import datetime
import json
import os
import sys
import urllib.parse

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SPEC = os.path.join(HERE, "../../tests/fixtures/harbor-scanner-api/"
                            "scanner-adapter-openapi-v1.2.yaml")


def convert(node, strict):
    """OpenAPI 3.0 schema object -> JSON Schema (draft 7)."""
    if isinstance(node, list):
        return [convert(n, strict) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: convert(v, strict) for k, v in node.items()
           if k not in ("example", "nullable", "descriptions")}
    if strict and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if node.get("nullable") is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out


checker = jsonschema.FormatChecker(formats=())


@checker.checks("date-time", raises=ValueError)
def is_date_time(text):
    if not isinstance(text, str):
        return True
    if "T" not in text.upper() or not (text.endswith("Z") or text[-6] in "+-"):
        raise ValueError("no time zone")
    # RFC 3339: fractional seconds of any length; fromisoformat (3.11) reads them.
    datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return True


@checker.checks("uri", raises=ValueError)
def is_uri(text):
    if not isinstance(text, str):
        return True
    parts = urllib.parse.urlsplit(text)
    if not parts.scheme or not (parts.netloc or parts.path):
        raise ValueError("not an absolute URI")
    return True


def main(argv):
    spec_path, strict = DEFAULT_SPEC, True
    while argv and argv[0].startswith("--"):
        if argv[0] == "--spec" and len(argv) > 1:
            spec_path, argv = argv[1], argv[2:]
        elif argv[0] == "--loose":
            strict, argv = False, argv[1:]
        else:
            print(__doc__, file=sys.stderr)
            return 2
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    component, files = argv[0], argv[1:]
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    schemas = spec["components"]["schemas"]
    if component not in schemas:
        print(f"no component schema '{component}' in {spec_path}", file=sys.stderr)
        return 2
    root = {"$ref": f"#/components/schemas/{component}",
            "components": {"schemas": convert(copy.deepcopy(schemas), strict)}}
    validator = jsonschema.Draft7Validator(root, format_checker=checker)
    failed = False
    for path in files:
        with open(path) as f:
            doc = json.load(f)
        for err in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
            failed = True
            where = "/".join(str(p) for p in err.absolute_path)
            print(f"{path}: /{where}: {err.message[:300]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
