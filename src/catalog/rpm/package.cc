#include "catalog/purl.h"
#include "catalog/rpm/cataloger.h"

namespace distill::catalog::rpm {
namespace {

// "openssl-1.1.1k-15.cm2.src.rpm" -> {"openssl", "1.1.1k-15.cm2"}.
std::pair<std::string, std::string> SplitSourceRpm(std::string_view text) {
  for (std::string_view suffix : {".src.rpm", ".nosrc.rpm"})
    if (text.ends_with(suffix)) {
      text.remove_suffix(suffix.size());
      break;
    }
  size_t rel = text.rfind('-');
  if (rel == std::string_view::npos || rel == 0) return {"", ""};
  size_t ver = text.rfind('-', rel - 1);
  if (ver == std::string_view::npos || ver == 0) return {"", ""};
  return {std::string(text.substr(0, ver)), std::string(text.substr(ver + 1))};
}

// syft's namespace for distributions that are Red Hat products under another ID.
std::string Namespace(const Distro& distro) {
  if (distro.id == "rhel" || distro.id == "hummingbird") return "redhat";
  return distro.id;
}

}  // namespace

std::string PackageUrl(const HeaderInfo& header, const Distro* distro) {
  Purl p;
  p.type = "rpm";
  if (distro) p.namespace_ = Namespace(*distro);
  p.name = header.name;
  p.version = header.release.empty() ? header.version : header.version + "-" + header.release;
  p.qualifiers["arch"] = header.arch;
  if (header.has_epoch) p.qualifiers["epoch"] = std::to_string(header.epoch);
  if (distro && !distro->id.empty()) p.qualifiers["distro"] = distro->purl_qualifier();
  p.qualifiers["upstream"] = header.source_rpm;
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
