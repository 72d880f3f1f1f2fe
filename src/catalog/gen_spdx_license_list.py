#!/usr/bin/env python3
"""Regenerates src/catalog/spdx_license_list.cc from CycloneDX's spdx.schema.json (vendored under
tests/fixtures/schemas/cyclonedx/). Its "enum" lists the SPDX license ids first and the exception
ids after them, starting at "389-exception"; "$comment" ends with the license list version.
Usage: python3 src/catalog/gen_spdx_license_list.py | clang-format > src/catalog/spdx_license_list.cc"""
import json, os, sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
schema = json.load(open(os.path.join(root, "tests/fixtures/schemas/cyclonedx/spdx.schema.json")))
ids = schema["enum"]
split = ids.index("389-exception")
version = schema["$comment"].split("-")[-1]


def array(name, xs):
    out, line = f"const char* const {name}[] = {{\n", "   "
    for x in xs:
        item = f' "{x}",'
        if len(line) + len(item) > 100:
            out, line = out + line + "\n", "   "
        line += item
    return out + line + "\n};\n"


sys.stdout.write(f'''// GENERATED — do not edit. The SPDX License List {version} (licenses, then exceptions), from
// the "enum" of CycloneDX's schema/spdx.schema.json (vendored in tests/fixtures/schemas/cyclonedx/,
// see MANIFEST.md there), which lists the license ids first and the exception ids after them,
// starting at "389-exception". Regenerate: python3 src/catalog/gen_spdx_license_list.py | clang-format > src/catalog/spdx_license_list.cc
#include "catalog/spdx_license_list.h"

namespace distill::catalog {{

const char* const kSpdxLicenseListVersion = "{'.'.join(version.split('.')[:2])}";

// clang-format off
{array("kSpdxLicenseIds", ids[:split])}// clang-format on
const size_t kSpdxLicenseIdCount = sizeof(kSpdxLicenseIds) / sizeof(kSpdxLicenseIds[0]);

// clang-format off
{array("kSpdxExceptionIds", ids[split:])}// clang-format on
const size_t kSpdxExceptionIdCount = sizeof(kSpdxExceptionIds) / sizeof(kSpdxExceptionIds[0]);

}}  // namespace distill::catalog
''')
