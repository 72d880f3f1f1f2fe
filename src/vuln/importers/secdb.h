// Alpine-style security databases ("secdb"), JSON or YAML: Alpine (secdb.alpinelinux.org
// v3.x/{main,community}.{json,yaml}), Wolfi and Chainguard (security.json). Keyed by the
// **origin** (source) package: `packages[].pkg.secfixes` maps the first fixed version to the
// ids it fixes ("CVE-2017-8904 XSA-214": an id and its aliases). Version "0" is a NAK — the
// package was never affected — and becomes a kNotAffected record, never a vulnerability.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vuln/importers/sink.h"

namespace distill::vuln::importers {

inline constexpr std::string_view kSecdbKind = "secdb";

// `ecosystem` overrides the distro the document names (distroversion / reponame); needed only
// for documents that name none. A fixed version apk's grammar rejects is repaired by
// RepairApkVersion or kept as written, and either way named in `warnings` (when given):
// "phpmyadmin: fixed version \"4.8.0.-r1\" is not a valid apk version; read as \"4.8.0-r1\"".
Status ParseSecdb(std::string_view text, std::string_view ecosystem, const Sink& sink,
                  std::vector<std::string>* warnings = nullptr);

// A fixed version apk's grammar (vuln/version/apk.h) rejects, repaired where the intent is
// certain, as real secdbs write them:
//   "4.8.0.-r1"  -> "4.8.0-r1"   a '.' right before the -r revision (nothing between them)
//   "10.2.22.r0" -> "10.2.22-r0" ".rN" ending the version, where apk allows only "-rN"
// Anything else ("2.15.r-r1", "1.11-20-r0", "2.7.16-33": which digit is which?) is not
// repaired: nullopt, and the caller keeps it as written (the matcher cannot compare it and
// says so). A valid version is returned unchanged.
std::optional<std::string> RepairApkVersion(std::string_view apk_version);

// A JSON secdb in two steps, so that packages can be parsed on several threads: the header's
// ecosystem and each packages[] element (source text) in order, then each element alone.
// ParseSecdb of a JSON document is the one calling the other (same errors).
bool IsJsonSecdb(std::string_view text);
Status ForEachSecdbJsonPackage(
    std::string_view text, std::string_view ecosystem,
    const std::function<Status(std::string_view eco, size_t index, std::string_view element)>& fn);
Status ParseSecdbJsonPackage(std::string_view element, size_t index, const std::string& eco,
                             const Sink& sink, std::vector<std::string>* warnings = nullptr);

// True for a secdb document (JSON or YAML with "packages" and "apkurl", "reponame",
// "distroversion" or "secfixes" near the top).
bool LooksLikeSecdb(std::string_view text);

}  // namespace distill::vuln::importers
