#include "catalog/apk/cataloger.h"
#include "catalog/purl.h"

namespace distill::catalog::apk {

std::string PackageUrl(const Record& record, const Distro* distro) {
  if (!distro || distro->id.empty()) return "";
  Purl p;
  p.type = "apk";
  p.namespace_ = distro->id;
  p.name = record.name;
  p.version = record.version;
  p.qualifiers["arch"] = record.arch;
  p.qualifiers["distro"] = distro->purl_qualifier();
  if (record.meta.origin != record.name) p.qualifiers["upstream"] = record.meta.origin;
  return p.ToString();
}

Package NewPackage(Record r, const Distro& distro, const image::Location& where) {
  Package pkg;
  pkg.name = r.name;
  pkg.version = r.version;
  pkg.type = "apk";
  pkg.found_by = std::string(kCatalogerName);
  pkg.arch = r.arch;
  pkg.source_name = r.meta.origin == r.name ? "" : r.meta.origin;
  pkg.licenses = SplitLicense(r.license);
  pkg.purl = PackageUrl(r, distro.id.empty() ? nullptr : &distro);
  pkg.locations.push_back(where);
  for (const std::string& d : r.meta.depends)
    if (std::string n = DependencyName(d); !n.empty()) pkg.depends_on.push_back(std::move(n));
  pkg.files = std::move(r.files);
  pkg.metadata = std::move(r.meta);
  return pkg;
}

}  // namespace distill::catalog::apk
