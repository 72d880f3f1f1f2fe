#include "catalog/purl.h"
#include "catalog/rpm/cataloger.h"

namespace distill::catalog::rpm {
namespace {

// "openssl-1.1.1k-15.cm2.src.rpm" -> {"openssl", "1.1.1k-15.cm2"}.
std::pair<std::string, std::string> SplitSourceRpm(std::string_view s) {
  for (std::string_view suffix : {".src.rpm", ".nosrc.rpm"})
    if (s.ends_with(suffix)) {
      s.remove_suffix(suffix.size());
      break;
    }
  size_t rel = s.rfind('-');
  if (rel == std::string_view::npos || rel == 0) return {"", ""};
  size_t ver = s.rfind('-', rel - 1);
  if (ver == std::string_view::npos || ver == 0) return {"", ""};
  return {std::string(s.substr(0, ver)), std::string(s.substr(ver + 1))};
}

// syft's namespace for distributions that are Red Hat products under another ID.
std::string Namespace(const Distro& d) {
  if (d.id == "rhel" || d.id == "hummingbird") return "redhat";
  return d.id;
}

}  // namespace

std::string PackageUrl(const HeaderInfo& h, const Distro* distro) {
  Purl p;
  p.type = "rpm";
  if (distro) p.namespace_ = Namespace(*distro);
  p.name = h.name;
  p.version = h.release.empty() ? h.version : h.version + "-" + h.release;
  p.qualifiers["arch"] = h.arch;
  if (h.has_epoch) p.qualifiers["epoch"] = std::to_string(h.epoch);
  if (distro && !distro->id.empty())
    p.qualifiers["distro"] = distro->purl_qualifier();
  p.qualifiers["upstream"] = h.source_rpm;
  return p.ToString();
}

Package NewPackage(HeaderInfo h, const Distro& distro, const image::Location& where) {
  Package pkg;
  pkg.name = h.name;
  std::string evr = h.release.empty() ? h.version : h.version + "-" + h.release;
  pkg.version = h.has_epoch ? std::to_string(h.epoch) + ":" + evr : evr;
  pkg.type = "rpm";
  pkg.found_by = std::string(kCatalogerName);
  pkg.arch = h.arch;
  auto [src_name, src_version] = SplitSourceRpm(h.source_rpm);
  pkg.source_name = src_name == h.name ? "" : src_name;
  pkg.source_version = src_version == evr ? "" : src_version;
  if (!h.license.empty()) pkg.licenses.push_back(h.license);
  pkg.purl = PackageUrl(h, distro.id.empty() ? nullptr : &distro);
  pkg.locations.push_back(where);
  for (const std::string& r : h.requires_)
    if (!r.starts_with("rpmlib(") && !r.starts_with("config(")) pkg.depends_on.push_back(r);
  pkg.files = std::move(h.files);
  RpmMetadata m;
  m.epoch = h.epoch;
  m.has_epoch = h.has_epoch;
  m.release = h.release;
  m.source_rpm = h.source_rpm;
  m.vendor = h.vendor;
  m.modularity_label = h.modularity_label;
  m.requires_ = std::move(h.requires_);
  m.provides = std::move(h.provides);
  pkg.metadata = std::move(m);
  return pkg;
}

}  // namespace distill::catalog::rpm
