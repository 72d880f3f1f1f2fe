#include "serve/api/scan_request.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "image/registry/reference.h"
#include "util/digest.h"
#include "util/text.h"

namespace distill::serve {

namespace {

using Json = nlohmann::json;

std::optional<Refusal> Refuse(int status, std::string message) {
  return Refusal{status, std::move(message)};
}

// A value from the request as an error may quote it: bounded, so an error stays one line.
std::string Quote(std::string_view value) {
  constexpr size_t kMax = 200;
  if (value.size() <= kMax) return fmt::format("'{}'", value);
  return fmt::format("'{}...' ({} bytes)", value.substr(0, kMax), value.size());
}

std::optional<Refusal> WrongType(std::string_view path, std::string_view want, const Json& got) {
  return Refuse(400, fmt::format("{}: want {}, got {}", path, want, got.type_name()));
}

// obj[key], or nullptr when absent or null (Harbor's Go client writes "" for an unset string, but
// a null is read the same way).
const Json* Member(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

// A string member into *out. `required`: absent or empty is 422.
std::optional<Refusal> GetString(const Json& obj, std::string_view parent, const char* key,
                                 bool required, std::string* out) {
  std::string path = fmt::format("{}.{}", parent, key);
  const Json* v = Member(obj, key);
  if (v && !v->is_string()) return WrongType(path, "a string", *v);
  if (v) *out = v->get<std::string>();
  if (required && out->empty()) return Refuse(422, fmt::format("{}: missing", path));
  return std::nullopt;
}

const Json* Object(const Json& obj, const char* key, std::optional<Refusal>* refusal) {
  const Json* v = Member(obj, key);
  if (!v)
    *refusal = Refuse(422, fmt::format("{}: missing", key));
  else if (!v->is_object())
    *refusal = WrongType(key, "an object", *v);
  return v;
}

bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::optional<Refusal> CheckRegistry(const Json& registry, ScanRequest* out) {
  if (auto r = GetString(registry, "registry", "url", true, &out->registry_url)) return r;
  if (auto r = GetString(registry, "registry", "authorization", false, &out->authorization))
    return r;
  std::string_view url = out->registry_url;
  std::string lower = AsciiLower(url.substr(0, 8));
  size_t scheme = lower.starts_with("http://") ? 7 : lower.starts_with("https://") ? 8 : 0;
  if (scheme == 0 || url.size() == scheme || url[scheme] == '/' || HasControl(url) ||
      url.find(' ') != std::string_view::npos)
    return Refuse(422,
                  fmt::format("registry.url: {} is not an http:// or https:// URL", Quote(url)));
  // The credential goes into a header of the pull: a line break would let it add headers.
  if (HasControl(out->authorization))
    return Refuse(422, "registry.authorization: contains control characters");
  return std::nullopt;
}

// Docker's tag grammar: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
bool ValidTag(std::string_view tag) {
  auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  if (tag.empty() || tag.size() > 128 || !word(tag.front())) return false;
  return std::all_of(tag.begin(), tag.end(),
                     [&](char c) { return word(c) || c == '.' || c == '-'; });
}

std::optional<Refusal> CheckArtifact(const Json& artifact, Artifact* out) {
  if (auto r = GetString(artifact, "artifact", "repository", true, &out->repository)) return r;
  if (auto r = GetString(artifact, "artifact", "digest", true, &out->digest)) return r;
  if (auto r = GetString(artifact, "artifact", "tag", false, &out->tag)) return r;
  if (auto r = GetString(artifact, "artifact", "mime_type", false, &out->mime_type)) return r;
  // The repository as a registry names it; the reference parser checks the grammar once a host
  // is in front (any host: the request's URL is the one pulled from).
  auto ref = image::registry::ParseReference("registry.invalid/" + out->repository);
  if (out->repository.find_first_of(":@") != std::string::npos || !ref.ok() ||
      ref->repository != out->repository)
    return Refuse(422, fmt::format("artifact.repository: {} is not a repository name (lowercase "
                                   "letters, digits and . _ - / only)",
                                   Quote(out->repository)));
  if (auto valid = ValidateDigest(out->digest); !valid.ok())
    return Refuse(422, out->digest.size() > 200
                           ? fmt::format("artifact.digest: {} is not a digest", Quote(out->digest))
                           : "artifact.digest: " + valid.error().message);
  if (!out->tag.empty() && !ValidTag(out->tag))
    return Refuse(422, fmt::format("artifact.tag: {} is not a tag", Quote(out->tag)));
  if (!out->mime_type.empty() && !SameMediaType(out->mime_type, kOciManifestMime) &&
      !SameMediaType(out->mime_type, kDockerManifestMime))
    return Refuse(501, fmt::format("artifact.mime_type: {} is not scanned (scanned: {}, {})",
                                   Quote(out->mime_type), kOciManifestMime, kDockerManifestMime));
  return std::nullopt;
}

// A list of strings, or absent (nullptr in *out).
std::optional<Refusal> GetStrings(const Json& obj, std::string_view parent, const char* key,
                                  std::optional<std::vector<std::string>>* out) {
  std::string path = fmt::format("{}.{}", parent, key);
  const Json* v = Member(obj, key);
  if (!v) return std::nullopt;
  if (!v->is_array()) return WrongType(path, "an array of strings", *v);
  out->emplace();
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) return WrongType(fmt::format("{}[{}]", path, i), "a string", (*v)[i]);
    (*out)->push_back((*v)[i].get<std::string>());
  }
  if ((*out)->empty()) return Refuse(422, fmt::format("{}: empty", path));
  return std::nullopt;
}

// The kinds one enabled_capabilities entry asks for.
std::optional<Refusal> CheckCapability(const Json& cap, std::string_view path,
                                       std::set<ReportKind>* kinds) {
  if (!cap.is_object()) return WrongType(path, "an object", cap);
  std::string type;
  if (auto r = GetString(cap, path, "type", true, &type)) return r;
  if (type != "vulnerability" && type != "sbom")
    return Refuse(501, fmt::format("{}.type: capability {} is not supported (supported: "
                                   "vulnerability, sbom)",
                                   path, Quote(type)));
  std::optional<std::vector<std::string>> produces, media_types;
  if (auto r = GetStrings(cap, path, "produces_mime_types", &produces)) return r;
  if (const Json* params = Member(cap, "parameters")) {
    std::string params_path = fmt::format("{}.parameters", path);
    if (!params->is_object()) return WrongType(params_path, "an object", *params);
    if (type == "sbom")
      if (auto r = GetStrings(*params, params_path, "sbom_media_types", &media_types)) return r;
  }
  std::set<ReportKind> mine;
  for (const ReportType& t : ReportTypes())
    if (t.capability == type) mine.insert(t.kind);
  if (produces) {
    std::set<ReportKind> asked;
    for (const std::string& mime : *produces) {
      size_t before = asked.size();
      for (const ReportType& t : ReportTypes())
        if (t.capability == type && SameMediaType(t.mime, mime)) asked.insert(t.kind);
      if (asked.size() == before)
        return Refuse(501, fmt::format("{}.produces_mime_types: {} is not produced for {}", path,
                                       Quote(mime), type));
    }
    mine = asked;
  }
  if (media_types) {
    std::set<ReportKind> asked;
    for (const std::string& media : *media_types) {
      size_t before = asked.size();
      for (const ReportType& t : ReportTypes())
        if (mine.count(t.kind) && t.sbom_media_type == media) asked.insert(t.kind);
      if (asked.size() == before)
        return Refuse(501,
                      fmt::format("{}.parameters.sbom_media_types: {} is not produced (produced: "
                                  "{}, {})",
                                  path, Quote(media), kSpdxJsonMime, kCycloneDxJsonMime));
    }
    mine = asked;
  }
  kinds->insert(mine.begin(), mine.end());
  return std::nullopt;
}

std::optional<Refusal> CheckCapabilities(const Json& root, std::vector<ReportKind>* reports) {
  std::set<ReportKind> kinds;
  const Json* caps = Member(root, "enabled_capabilities");
  if (!caps) {
    for (const ReportType& t : ReportTypes()) kinds.insert(t.kind);
  } else {
    if (!caps->is_array()) return WrongType("enabled_capabilities", "an array", *caps);
    if (caps->empty()) return Refuse(422, "enabled_capabilities: empty");
    for (size_t i = 0; i < caps->size(); ++i)
      if (auto r = CheckCapability((*caps)[i], fmt::format("enabled_capabilities[{}]", i), &kinds))
        return r;
  }
  reports->assign(kinds.begin(), kinds.end());
  return std::nullopt;
}

}  // namespace

std::optional<Refusal> ParseScanRequest(std::string_view body, ScanRequest* out) {
  *out = ScanRequest{};
  if (Trim(body).empty()) return Refuse(400, "request body is empty");
  Json root;
  try {  // nlohmann's parse errors carry the position; its exceptions stop here
    root = Json::parse(body.begin(), body.end());
  } catch (const Json::exception& e) {
    return Refuse(400, fmt::format("request body is not JSON: {}", e.what()));
  }
  if (!root.is_object()) return WrongType("request body", "an object", root);
  std::optional<Refusal> refusal;
  const Json* registry = Object(root, "registry", &refusal);
  if (refusal) return refusal;
  const Json* artifact = Object(root, "artifact", &refusal);
  if (refusal) return refusal;
  if (auto r = CheckRegistry(*registry, out)) return r;
  if (auto r = CheckArtifact(*artifact, &out->artifact)) return r;
  return CheckCapabilities(root, &out->reports);
}

std::optional<Refusal> CheckScanRequestType(std::string_view content_type) {
  MediaType type = ParseMediaType(content_type);
  if (type.type == "application/json") return std::nullopt;
  MediaType want = ParseMediaType(kScanRequestMime11);
  if (type.type != want.type)
    return Refuse(415, fmt::format("Content-Type {} is not a scan request (want {})",
                                   Quote(content_type), kScanRequestMime11));
  if (!type.version.empty() && type.version != "1.0" && type.version != "1.1")
    return Refuse(501, fmt::format("scan request version {} is not supported (supported: 1.0, 1.1)",
                                   Quote(type.version)));
  return std::nullopt;
}

}  // namespace distill::serve
