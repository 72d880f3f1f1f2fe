// Ecosystem keys and package-name normalization: the one place that decides how a package is
// looked up. Keys are purl types for language ecosystems ("pypi", "npm", "golang", "maven",
// "cargo", "gem", "nuget", "composer", ...) and "<os-release ID>:<release>" for distros
// ("debian:12", "ubuntu:22.04", "alpine:3.18", "almalinux:9"), or just the ID for rolling
// distros ("wolfi", "chainguard"). Importers and Lookup both pass names through here, so the
// matcher may use either OSV spellings ("PyPI", "Alpine:v3.18", "Debian:12") or these keys.
#pragma once

#include <string>
#include <string_view>

namespace distill::vuln {

// "PyPI" → "pypi", "crates.io" → "cargo", "Alpine:v3.18" → "alpine:3.18",
// "Ubuntu:22.04:LTS" → "ubuntu:22.04", "debian:bookworm" → "debian:12", "alpine:3.18.4" →
// "alpine:3.18". Unknown names are lowercased and otherwise kept.
std::string NormalizeEcosystem(std::string_view ecosystem);

// Debian release codename → version number ("bookworm" → "12", "sid" → "sid"); "" if unknown.
std::string_view DebianReleaseNumber(std::string_view codename);

// PyPI names per PEP 503 ("Flask_SQLAlchemy" → "flask-sqlalchemy"); NuGet and Composer
// lowercased (case-insensitive registries); everything else unchanged. `ecosystem` is a key.
std::string NormalizePackageName(std::string_view ecosystem, std::string_view name);

}  // namespace distill::vuln
