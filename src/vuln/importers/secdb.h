// Alpine-style security databases ("secdb"), JSON or YAML: Alpine (secdb.alpinelinux.org
// v3.x/{main,community}.{json,yaml}), Wolfi and Chainguard (security.json). Keyed by the
// **origin** (source) package: `packages[].pkg.secfixes` maps the first fixed version to the
// ids it fixes ("CVE-2017-8904 XSA-214": an id and its aliases). Version "0" is a NAK — the
// package was never affected — and becomes a kNotAffected record, never a vulnerability.
#pragma once

#include <string>
#include <string_view>

#include "vuln/importers/sink.h"

namespace distill::vuln::importers {

inline constexpr std::string_view kSecdbKind = "secdb";

// `ecosystem` overrides the distro the document names (distroversion / reponame); needed only
// for documents that name none.
Status ParseSecdb(std::string_view text, std::string_view ecosystem, const Sink& sink);

// True for a secdb document (JSON or YAML with "packages" and "apkurl", "reponame",
// "distroversion" or "secfixes" near the top).
bool LooksLikeSecdb(std::string_view text);

}  // namespace distill::vuln::importers
