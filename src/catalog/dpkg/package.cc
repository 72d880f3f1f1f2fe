#include "catalog/dpkg/package.h"

#include "catalog/purl.h"

namespace distill::catalog::dpkg {

std::string PackageUrl(const StatusEntry& entry, const Distro* distro) {
  if (!distro) return "";
  Purl p;
  p.type = "deb";
  p.namespace_ = distro->id;
  p.name = entry.name;
  p.version = entry.version;
  p.qualifiers["arch"] = entry.arch;
  if (!distro->id.empty()) p.qualifiers["distro"] = distro->purl_qualifier();
  if (!entry.source_name.empty())
    p.qualifiers["upstream"] = entry.source_version.empty()
                                   ? entry.source_name
                                   : entry.source_name + "@" + entry.source_version;
  return p.ToString();
}

Package NewPackage(StatusEntry e, const Distro& distro, const image::Location& where) {
  Package pkg;
  pkg.name = e.name;
  pkg.version = e.version;
  pkg.type = "deb";
  pkg.found_by = std::string(kCatalogerName);
  pkg.arch = e.arch;
  // Package::source_name is empty when the source is the binary's own name.
  pkg.source_name = e.source_name == e.name ? "" : e.source_name;
  pkg.source_version = e.source_version == e.version ? "" : e.source_version;
  pkg.purl = PackageUrl(e, distro.id.empty() && distro.version_id.empty() && distro.id_like.empty()
                               ? nullptr
                               : &distro);
  pkg.locations.push_back(where);
  for (const std::string& clause : e.meta.pre_depends)
    for (std::string& n : DependencyNames(clause)) pkg.depends_on.push_back(std::move(n));
  for (const std::string& clause : e.meta.depends)
    for (std::string& n : DependencyNames(clause)) pkg.depends_on.push_back(std::move(n));
  pkg.files = std::move(e.conffiles);
  if (!e.license.empty()) pkg.licenses.push_back(e.license);  // opkg writes License: in status
  pkg.metadata = std::move(e.meta);
  return pkg;
}

}  // namespace distill::catalog::dpkg
