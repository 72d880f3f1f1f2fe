#include "image/registry/reference.h"

#include "util/digest.h"

namespace distill::image::registry {

namespace {

constexpr std::string_view kDockerHub = "docker.io";

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// A path component: [a-z0-9]+ joined by '.', '_', '__' or '-'+.
bool ValidComponent(std::string_view c) {
  if (c.empty() || !IsLowerAlnum(c.front()) || !IsLowerAlnum(c.back())) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    char ch = c[i];
    if (IsLowerAlnum(ch)) continue;
    if (ch == '.' || ch == '_' || ch == '-') {
      if (ch == '.' && !IsLowerAlnum(c[i + 1])) return false;
      continue;
    }
    return false;
  }
  return true;
}

bool ValidTag(std::string_view t) {
  if (t.empty() || t.size() > 128) return false;
  auto word = [](char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!word(t.front())) return false;
  for (char c : t)
    if (!word(c) && c != '.' && c != '-') return false;
  return true;
}

bool ValidHost(std::string_view h) {
  if (h.empty() || h.size() > 255) return false;
  if (h.front() == '[') return h.find(']') != std::string_view::npos;  // [::1]:5000
  for (char c : h)
    if (!(IsLowerAlnum(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '-' || c == ':'))
      return false;
  return h.front() != '-' && h.front() != '.' && h.front() != ':';
}

// The first component is a host when it has a '.' or ':' or is "localhost" (Docker's rule).
bool LooksLikeHost(std::string_view first) {
  return first.find_first_of(".:") != std::string_view::npos || first == "localhost" ||
         (!first.empty() && first.front() == '[');
}

}  // namespace

std::string Reference::ApiHost() const {
  return host == kDockerHub ? "registry-1.docker.io" : host;
}

std::string Reference::ToString() const {
  std::string s = host + "/" + repository;
  if (!tag.empty()) s += ":" + tag;
  if (!digest.empty()) s += "@" + digest;
  return s;
}

Result<Reference> ParseReference(std::string_view text) {
  if (text.empty()) return Errorf("empty image reference");
  if (text.size() > 1024) return Errorf("image reference longer than 1024 characters");
  Reference r;
  std::string_view rest = text;
  if (auto at = rest.find('@'); at != std::string_view::npos) {
    r.digest = std::string(rest.substr(at + 1));
    auto valid = ValidateDigest(r.digest);
    if (!valid.ok()) return std::move(valid).error().wrap(fmt::format("{}: digest", text));
    rest = rest.substr(0, at);
  }
  auto slash = rest.find('/');
  if (slash != std::string_view::npos && LooksLikeHost(rest.substr(0, slash))) {
    r.host = std::string(rest.substr(0, slash));
    rest = rest.substr(slash + 1);
    if (!ValidHost(r.host)) return Errorf("{}: invalid registry host '{}'", text, r.host);
  } else {
    r.host = std::string(kDockerHub);
  }
  // A ':' after the last '/' starts the tag.
  auto last_slash = rest.rfind('/');
  auto colon = rest.find(':', last_slash == std::string_view::npos ? 0 : last_slash);
  if (colon != std::string_view::npos) {
    r.tag = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
    if (!ValidTag(r.tag)) return Errorf("{}: invalid tag '{}'", text, r.tag);
  }
  if (rest.empty()) return Errorf("{}: missing repository name", text);
  size_t start = 0;
  while (start <= rest.size()) {
    size_t end = rest.find('/', start);
    if (end == std::string_view::npos) end = rest.size();
    std::string_view comp = rest.substr(start, end - start);
    if (!ValidComponent(comp))
      return Errorf(
          "{}: invalid repository name component '{}' (lowercase letters, digits and . _ - only)",
          text, comp);
    start = end + 1;
  }
  r.repository = std::string(rest);
  if (r.host == kDockerHub && r.repository.find('/') == std::string::npos)
    r.repository = "library/" + r.repository;
  // Docker's limit is on the whole normalized name (distribution/reference: NameTotalLengthMax), so
  // "docker.io/library/" counts too: a name that passes prints a form that parses back.
  if (r.host.size() + 1 + r.repository.size() > 255)
    return Errorf("{}: name {}/{} longer than 255 characters", text, r.host, r.repository);
  if (r.tag.empty() && r.digest.empty()) r.tag = "latest";
  return r;
}

bool IsLoopbackHost(std::string_view host) {
  std::string_view h = host;
  if (h.starts_with("[")) {
    auto close = h.find(']');
    return close != std::string_view::npos && h.substr(1, close - 1) == "::1";
  }
  h = h.substr(0, h.find(':'));
  return h == "localhost" || h.starts_with("127.");
}

}  // namespace distill::image::registry
