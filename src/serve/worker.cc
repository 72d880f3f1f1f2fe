#include "serve/worker.h"

#include "catalog/catalog.h"
#include "image/image.h"
#include "image/registry/auth.h"
#include "version.h"

namespace distill::serve {

Result<RegistryHost> ParseRegistryUrl(std::string_view url) {
  RegistryHost out;
  std::string_view rest = url;
  if (rest.starts_with("http://")) {
    out.plain_http = true;
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else if (rest.find("://") != std::string_view::npos) {
    return Errorf("registry.url '{}': expected http:// or https://", url);
  }
  while (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.empty() || rest.find_first_of("/?#@ ") != std::string_view::npos)
    return Errorf("registry.url '{}': expected a registry's base URL (scheme://host[:port])", url);
  out.host = std::string(rest);
  return out;
}

namespace {

// The request's credential as the registry client takes it: Basic becomes a user and password
// (so the client can also answer a Bearer challenge with them), anything else is sent as it is.
Status ApplyAuthorization(const std::string& authorization, image::registry::Options* opt) {
  if (authorization.empty()) return {};
  constexpr std::string_view kBasic = "Basic ";
  if (authorization.starts_with(kBasic)) {
    auto decoded = image::registry::Base64Decode(authorization.substr(kBasic.size()));
    size_t colon = decoded.ok() ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos)
      return Errorf("registry.authorization: Basic credentials are not base64 of user:password");
    image::registry::Credential c;
    c.username = decoded->substr(0, colon);
    c.password = decoded->substr(colon + 1);
    c.source = "the scan request's registry.authorization";
    opt->credential = std::move(c);
    return {};
  }
  opt->authorization = authorization;
  return {};
}

}  // namespace

Result<sbom::Sbom> CatalogTarget(const ScanTarget& target, const WorkerOptions& opt) {
  DISTILL_TRY(RegistryHost reg, ParseRegistryUrl(target.registry_url));
  if (!target.digest.starts_with("sha256:"))
    return Errorf("artifact.digest '{}': expected sha256:<hex>", target.digest);
  image::LoadOptions lo;
  lo.plan = catalog::CatalogPlan();
  lo.capabilities = false;
  lo.dir_metadata = false;
  lo.threads = opt.threads;
  lo.registry.ca_cert = opt.ca_cert;
  if (reg.plain_http) lo.registry.insecure_hosts.push_back(reg.host);
  lo.registry.docker_config = "/nonexistent";  // the request's credential or none, never ours
  DISTILL_TRY_VOID(ApplyAuthorization(target.authorization, &lo.registry));
  std::string source = "registry:" + reg.host + "/" + target.repository + "@" + target.digest;
  DISTILL_TRY(auto img, image::LoadImage(source, lo));
  if (img.meta.manifest_digest != target.digest)
    return Errorf("{}: the registry answered manifest {}", source, img.meta.manifest_digest);
  DISTILL_TRY(auto cat, catalog::CatalogImage(img.files));
  sbom::Sbom doc;
  doc.source.name = reg.host + "/" + target.repository + "@" + target.digest;
  doc.source.type = "registry";
  doc.source.manifest_digest = img.meta.manifest_digest;
  doc.source.config_digest = img.meta.config_digest;
  doc.source.platform = img.meta.platform.ToString();
  doc.catalog = std::move(cat);
  doc.tool_version = DISTILL_VERSION;
  return doc;
}

Result<vuln::match::MatchResult> MatchSbom(const sbom::Sbom& doc, vuln::Database& db) {
  return vuln::match::Match(doc.catalog, db);
}

Result<Scanned> Scan(const ScanTarget& target, vuln::Database& db, const WorkerOptions& opt) {
  Scanned out;
  DISTILL_TRY(out.sbom, CatalogTarget(target, opt));
  DISTILL_TRY(out.match, MatchSbom(out.sbom, db));
  return out;
}

}  // namespace distill::serve
