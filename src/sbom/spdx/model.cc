// Sbom → SPDX 2.3 document (convert; json_writer.cc and tag_value_writer.cc serialize).
#include "sbom/spdx/model.h"

#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "catalog/spdx_license_list.h"
#include "sbom/content_id.h"
#include "sbom/license.h"
#include "util/text.h"

namespace distill::sbom::spdx {

namespace {

// Digest algorithms as package databases record them → SPDX checksum algorithm names.
const std::map<std::string, std::string> kAlgorithms = {
    {"md5", "MD5"},       {"sha1", "SHA1"},     {"sha224", "SHA224"},
    {"sha256", "SHA256"}, {"sha384", "SHA384"}, {"sha512", "SHA512"},
};

std::string Lower(std::string s) {
  AsciiLowerInPlace(s);
  return s;
}

class Builder {
 public:
  explicit Builder(const Sbom& sbom) : s_(sbom) {}

  Document Build(std::string_view version) {
    Document d;
    d.name = s_.source.name.empty() ? "unknown" : s_.source.name;
    d.namespace_ = fmt::format("https://spdx.org/spdxdocs/distill/{}/{}-{}",
                               SanitizeId(Or(s_.source.type, "unknown")), SanitizeId(d.name),
                               ContentUuid(s_, "spdx", version));
    d.created = FormatTimestamp(s_.created);
    d.creators.push_back(s_.tool_version.empty()
                             ? "Tool: " + s_.tool_name
                             : fmt::format("Tool: {}-{}", s_.tool_name, s_.tool_version));
    d.license_list_version = catalog::kSpdxLicenseListVersion;
    const std::string root = AddImage(d);
    d.relationships.push_back({"SPDXRef-DOCUMENT", "DESCRIBES", root});
    if (!s_.catalog.distro.empty()) d.relationships.push_back({root, "CONTAINS", AddDistro(d)});
    auto graph = DependencyGraph(s_.catalog);
    auto packages = UniquePackages(s_.catalog);
    for (const auto* p : packages) ids_[PackageKey(*p)] = PackageId(*p);
    for (const auto* p : packages) {
      d.packages.push_back(ToPackage(*p));
      d.relationships.push_back({root, "CONTAINS", ids_[PackageKey(*p)]});
    }
    auto others = OtherRelationships();
    for (const auto* p : packages) {
      const std::string& from = ids_[PackageKey(*p)];
      for (const auto& to : graph[PackageKey(*p)])
        d.relationships.push_back({from, "DEPENDS_ON", ids_[to]});
      for (auto& r : others[from]) d.relationships.push_back(std::move(r));
      for (const auto& file : FileIds(*p, d)) d.relationships.push_back({from, "CONTAINS", file});
    }
    std::sort(d.files.begin(), d.files.end(), [](const File& a, const File& b) {
      return std::tie(a.name, a.spdx_id) < std::tie(b.name, b.spdx_id);
    });
    for (const auto& [name, id] : license_refs_) d.extracted_licenses.push_back({id, name});
    std::sort(d.extracted_licenses.begin(), d.extracted_licenses.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    return d;
  }

 private:
  static std::string Or(const std::string& value, const char* fallback) {
    return value.empty() ? fallback : value;
  }

  std::string AddImage(Document& doc) {
    Package img;
    bool dir = s_.source.type == "dir";
    img.spdx_id = (dir ? "SPDXRef-DocumentRoot-Directory-" : "SPDXRef-DocumentRoot-Image-") +
                  SanitizeId(doc.name);
    img.name = doc.name;
    img.version = s_.source.manifest_digest;
    img.purpose = dir ? "FILE" : "CONTAINER";
    if (!s_.source.manifest_digest.empty() && s_.source.manifest_digest.starts_with("sha256:")) {
      img.checksums.push_back({"SHA256", s_.source.manifest_digest.substr(7)});
    }
    if (std::string purl = ImagePurl(s_.source); !purl.empty()) {
      img.external_refs.push_back({"PACKAGE-MANAGER", "purl", purl});
    }
    doc.packages.push_back(img);
    return img.spdx_id;
  }

  std::string AddDistro(Document& doc) {
    const auto& distro = s_.catalog.distro;
    Package os;
    os.spdx_id = "SPDXRef-OperatingSystem-" + SanitizeId(distro.id + "-" + distro.version_id);
    os.name = distro.id;
    os.version = distro.version_id;
    os.purpose = "OPERATING_SYSTEM";
    os.description = distro.pretty_name;
    doc.packages.push_back(os);
    return os.spdx_id;
  }

  // The catalog's package-to-package relationships other than depends-on, by source SPDXID,
  // sorted and without duplicates; ends that are not catalogued packages are dropped.
  std::map<std::string, std::vector<Relationship>> OtherRelationships() {
    std::map<std::string, std::set<std::tuple<std::string, std::string, std::string>>> sorted;
    for (const auto& r : s_.catalog.relationships) {
      auto from = ids_.find(r.from), to = ids_.find(r.to);
      if (from == ids_.end() || to == ids_.end() || from->second == to->second) continue;
      if (r.type == "contains") sorted[from->second].insert({"CONTAINS", to->second, ""});
      if (r.type == "owns") {
        sorted[from->second].insert(
            {"OTHER", to->second, "owns files also claimed by the related package"});
      }
    }
    std::map<std::string, std::vector<Relationship>> out;
    for (auto& [from, set] : sorted) {
      for (const auto& [type, to, comment] : set) out[from].push_back({from, type, to, comment});
    }
    return out;
  }

  static std::string PackageId(const catalog::Package& package) {
    return fmt::format("SPDXRef-Package-{}-{}-{}", SanitizeId(package.type),
                       SanitizeId(package.name), ShortHash(PackageKey(package)));
  }

  Package ToPackage(const catalog::Package& package) {
    Package out;
    out.spdx_id = ids_[PackageKey(package)];
    out.name = package.name;
    out.version = package.version;
    out.supplier = Supplier(package);
    out.source_info = SourceInfo(package);
    if (std::string expr = DeclaredLicense(package); !expr.empty()) out.license_declared = expr;
    for (const auto& cpe : package.cpes)
      out.external_refs.push_back({"SECURITY", "cpe23Type", cpe});
    if (!package.purl.empty())
      out.external_refs.push_back({"PACKAGE-MANAGER", "purl", package.purl});
    if (auto* a = std::get_if<catalog::ApkMetadata>(&package.metadata))
      out.description = a->description;
    return out;
  }

  static std::string Supplier(const catalog::Package& package) {
    if (auto* d = std::get_if<catalog::DpkgMetadata>(&package.metadata);
        d && !d->maintainer.empty())
      return "Person: " + d->maintainer;
    if (auto* a = std::get_if<catalog::ApkMetadata>(&package.metadata); a && !a->maintainer.empty())
      return "Person: " + a->maintainer;
    if (auto* r = std::get_if<catalog::RpmMetadata>(&package.metadata); r && !r->vendor.empty())
      return "Organization: " + r->vendor;
    return "NOASSERTION";
  }

  static std::string SourceInfo(const catalog::Package& package) {
    std::string paths;
    for (const auto& l : package.locations) paths += (paths.empty() ? "/" : ", /") + l.path;
    std::string out = fmt::format("acquired package info from {}",
                                  package.found_by.empty() ? package.type : package.found_by);
    if (!paths.empty()) out += ": " + paths;
    if (!package.source_name.empty() || !package.source_version.empty()) {
      out += fmt::format("; built from source package {} {}",
                         package.source_name.empty() ? package.name : package.source_name,
                         package.source_version.empty() ? package.version : package.source_version);
    }
    return out;
  }

  // Names that are no SPDX id or expression become LicenseRef-s, defined in
  // hasExtractedLicensingInfos; two names that sanitize alike get a hash suffix.
  std::string DeclaredLicense(const catalog::Package& package) {
    std::vector<License> licenses;
    for (const auto& raw : package.licenses) {
      License l = ClassifyLicense(raw);
      if (l.value.empty()) continue;
      if (l.kind == License::Kind::kName) l = {License::Kind::kId, RefFor(l.value)};
      licenses.push_back(l);
    }
    return JoinedExpression(licenses);
  }

  std::string RefFor(const std::string& name) {
    if (auto it = license_refs_.find(name); it != license_refs_.end()) return it->second;
    std::string id = LicenseRefFor(name);
    if (!used_refs_.insert(id).second) {
      id += "-" + ShortHash(name);
      used_refs_.insert(id);
    }
    return license_refs_[name] = id;
  }

  // The package's files with a recorded digest, added to the document once each.
  std::vector<std::string> FileIds(const catalog::Package& package, Document& doc) {
    std::set<std::string> out;
    for (const auto& f : package.files) {
      auto alg = kAlgorithms.find(Lower(f.algorithm.str()));
      if (alg == kAlgorithms.end() || f.digest.empty()) continue;
      std::string name = "/" + f.path;
      std::string key = name + "\n" + alg->second + "\n" + Lower(f.digest.str());
      auto [it, added] = file_ids_.try_emplace(key, "");
      if (added) {
        size_t slash = f.path.rfind('/');
        std::string base = slash == std::string::npos ? f.path : f.path.substr(slash + 1);
        it->second = fmt::format("SPDXRef-File-{}-{}", SanitizeId(base), ShortHash(key));
        doc.files.push_back({it->second, name, {{alg->second, Lower(f.digest.str())}}});
      }
      out.insert(it->second);
    }
    return {out.begin(), out.end()};
  }

  const Sbom& s_;
  std::map<std::string, std::string> ids_;                 // PackageKey → SPDXID
  std::unordered_map<std::string, std::string> file_ids_;  // path/alg/digest → SPDXID
  std::map<std::string, std::string> license_refs_;        // name → LicenseRef id
  std::set<std::string> used_refs_;
};

}  // namespace

Status CheckVersion(std::string_view version) {
  if (version != "2.3") return Errorf("unsupported SPDX version '{}' (supported: 2.3)", version);
  return {};
}

Result<Document> ToDocument(const Sbom& sbom, std::string_view version) {
  DISTILL_TRY_VOID(CheckVersion(version));
  return Builder(sbom).Build(version);
}

}  // namespace distill::sbom::spdx
