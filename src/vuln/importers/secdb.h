// Alpine-style security databases ("secdb"), JSON or YAML: Alpine (secdb.alpinelinux.org
// v3.x/{main,community}.{json,yaml}), Wolfi and Chainguard (security.json). Keyed by the
// **origin** (source) package: `packages[].pkg.secfixes` maps the first fixed version to the
// ids it fixes ("CVE-2017-8904 XSA-214": an id and its aliases). Version "0" is a NAK — the
// package was never affected — and becomes a kNotAffected record, never a vulnerability.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "vuln/importers/sink.h"

namespace distill::vuln::importers {

inline constexpr std::string_view kSecdbKind = "secdb";

// `ecosystem` overrides the distro the document names (distroversion / reponame); needed only
// for documents that name none.
Status ParseSecdb(std::string_view text, std::string_view ecosystem, const Sink& sink);

// A JSON secdb in two steps, so that packages can be parsed on several threads: the header's
// ecosystem and each packages[] element (source text) in order, then each element alone.
// ParseSecdb of a JSON document is the one calling the other (same errors).
bool IsJsonSecdb(std::string_view text);
Status ForEachSecdbJsonPackage(
    std::string_view text, std::string_view ecosystem,
    const std::function<Status(std::string_view eco, size_t index, std::string_view element)>& fn);
Status ParseSecdbJsonPackage(std::string_view element, size_t index, const std::string& eco, const Sink& sink);

// True for a secdb document (JSON or YAML with "packages" and "apkurl", "reponame",
// "distroversion" or "secfixes" near the top).
bool LooksLikeSecdb(std::string_view text);

}  // namespace distill::vuln::importers
