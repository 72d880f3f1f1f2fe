#include "image/registry/auth.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "util/file.h"
#include "util/text.h"

namespace distill::image::registry {

namespace {

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

std::string StringField(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Docker Hub's credentials are stored under its v1 index URL.
std::vector<std::string> ConfigKeys(std::string_view host) {
  std::vector<std::string> keys = {std::string(host), "https://" + std::string(host),
                                   "http://" + std::string(host)};
  if (host == "docker.io" || host == "registry-1.docker.io" || host == "index.docker.io")
    keys.insert(keys.begin(), "https://index.docker.io/v1/");
  return keys;
}

std::string StoreKey(std::string_view host) {
  return host == "docker.io" || host == "registry-1.docker.io" ? "https://index.docker.io/v1/"
                                                               : std::string(host);
}

Result<nlohmann::json> ReadConfig(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return nlohmann::json::object();
  DISTILL_TRY(std::string text, ReadFile(path, 16 << 20));
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Errorf("{}: not a JSON object", path);
  if (j.contains("auths") && !j["auths"].is_object())
    return Errorf("{}: \"auths\" is not an object", path);
  return j;
}

// Like WriteFileAtomic, but mode 0600: the file holds secrets.
Status WritePrivate(const std::string& path, const std::string& data) {
  std::error_code ec;
  auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec) return Errorf("{}: cannot create directory: {}", dir.string(), ec.message());
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errorf("{}: cannot create: {}", tmp, std::strerror(errno));
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Errorf("{}: write failed: {}", tmp, std::strerror(e));
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Errorf("{}: cannot flush: {}", tmp, std::strerror(errno));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return Errorf("{}: cannot rename into place: {}", path, std::strerror(e));
  }
  return {};
}

// The Docker credential-helper protocol: `docker-credential-NAME get`, the server on stdin,
// {"Username","Secret"} on stdout; "credentials not found" (exit 1) means none.
Result<std::optional<Credential>> RunCredentialHelper(const std::string& name,
                                                      const std::string& server) {
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return Errorf("credential helper name '{}' is not valid", name);
  std::string prog = "docker-credential-" + name;
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return Errorf("{}: pipe: {}", prog, std::strerror(errno));
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return Errorf("{}: pipe: {}", prog, std::strerror(errno));
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  char* argv[] = {prog.data(), const_cast<char*>("get"), nullptr};
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, prog.c_str(), &fa, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(out[1]);
  if (rc != 0) {
    ::close(in[0]);
    ::close(in[1]);
    ::close(out[0]);
    return Errorf("credential helper {} cannot run: {}", prog, std::strerror(rc));
  }
  // Our read end stays open while writing: a helper that exits early cannot raise SIGPIPE here.
  (void)!::write(in[1], server.data(), server.size());
  ::close(in[1]);
  ::close(in[0]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || text.size() > (1 << 20)) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(out[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (text.find("credentials not found") != std::string::npos) return std::optional<Credential>{};
    return Errorf("credential helper {} failed for {} (exit status {})", prog, server,
                  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  }
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Errorf("credential helper {}: output is not a JSON object", prog);
  Credential c;
  c.source = "credential helper " + prog;
  c.username = StringField(j, "Username");
  c.password = StringField(j, "Secret");
  if (c.username == "<token>") c.identity_token = c.password;
  if (c.username.empty()) return std::optional<Credential>{};
  return std::optional<Credential>{std::move(c)};
}

}  // namespace

Result<std::vector<Challenge>> ParseChallenges(std::string_view h) {
  std::vector<Challenge> out;
  size_t i = 0;
  auto skip_ws = [&] {
    while (i < h.size() && (h[i] == ' ' || h[i] == '\t')) ++i;
  };
  auto token = [&] {
    size_t start = i;
    while (i < h.size() && IsTokenChar(h[i])) ++i;
    return h.substr(start, i - start);
  };
  while (true) {
    skip_ws();
    while (i < h.size() && h[i] == ',') {
      ++i;
      skip_ws();
    }
    if (i >= h.size()) break;
    std::string_view scheme = token();
    if (scheme.empty()) return Errorf("WWW-Authenticate: expected an auth scheme at offset {}", i);
    Challenge c;
    c.scheme = AsciiLower(scheme);
    // Parameters: name=value or name="quoted", comma separated, until the next scheme.
    while (true) {
      skip_ws();
      size_t save = i;
      std::string_view name = token();
      skip_ws();
      if (name.empty() || i >= h.size() || h[i] != '=') {
        i = save;  // a new scheme (or the end, or a token68 we do not use)
        if (!name.empty() && i < h.size() && h[i] != ',' && c.params.empty()) {
          token();  // token68
          while (i < h.size() && h[i] == '=') ++i;
        }
        break;
      }
      ++i;
      skip_ws();
      std::string value;
      if (i < h.size() && h[i] == '"') {
        ++i;
        bool closed = false;
        while (i < h.size()) {
          char ch = h[i++];
          if (ch == '\\' && i < h.size()) {
            value += h[i++];
            continue;
          }
          if (ch == '"') {
            closed = true;
            break;
          }
          value += ch;
        }
        if (!closed) return Errorf("WWW-Authenticate: unterminated quoted value for '{}'", name);
      } else {  // a token; realms in the wild are often unquoted URLs, so take up to ',' or space
        size_t start = i;
        while (i < h.size() && h[i] != ',' && h[i] != ' ' && h[i] != '\t' && h[i] != '"') ++i;
        value = std::string(h.substr(start, i - start));
      }
      c.params[AsciiLower(name)] = std::move(value);
      skip_ws();
      if (i < h.size() && h[i] == ',') {
        ++i;
        continue;
      }
      break;
    }
    out.push_back(std::move(c));
    if (i < h.size() && h[i] != ',' && !IsTokenChar(h[i]) && h[i] != ' ')
      return Errorf("WWW-Authenticate: unexpected '{}' at offset {}", h[i], i);
  }
  return out;
}

std::string Base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kB64[(v >> s) & 63];
  }
  if (i < in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) v |= uint8_t(in[i + 1]) << 8;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += i + 1 < in.size() ? kB64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  size_t pad = 0;
  for (char c : in) {
    if (c == '=') {
      ++pad;
      continue;
    }
    if (pad) return Errorf("invalid base64 (data after padding)");
    const char* p = c ? std::strchr(kB64, c) : nullptr;
    if (!p) return Errorf("invalid base64 character");
    acc = (acc << 6) | static_cast<uint32_t>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if (pad > 2) return Errorf("invalid base64 padding");
  return out;
}

std::string DockerConfigPath() {
  if (const char* d = std::getenv("DOCKER_CONFIG"); d && *d) return std::string(d) + "/config.json";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : "/root") + "/.docker/config.json";
}

Result<std::optional<Credential>> LookupCredential(const std::string& path, std::string_view host) {
  DISTILL_TRY(nlohmann::json cfg, ReadConfig(path));
  // credHelpers (per registry), then auths, then credsStore, as docker looks them up.
  if (auto helpers = cfg.find("credHelpers"); helpers != cfg.end() && helpers->is_object())
    for (const auto& key : ConfigKeys(host))
      if (auto h = helpers->find(key); h != helpers->end() && h->is_string())
        return RunCredentialHelper(h->get<std::string>(), key);
  auto store = [&]() -> Result<std::optional<Credential>> {
    std::string name = StringField(cfg, "credsStore");
    if (name.empty()) return std::optional<Credential>{};
    return RunCredentialHelper(name, StoreKey(host));
  };
  auto auths = cfg.find("auths");
  if (auths == cfg.end()) return store();
  for (const auto& key : ConfigKeys(host)) {
    auto e = auths->find(key);
    if (e == auths->end() || !e->is_object()) continue;
    Credential c;
    c.source = path;
    std::string where = fmt::format("{}: auths[\"{}\"]", path, key);
    if (auto a = e->find("auth");
        a != e->end() && a->is_string() && !a->get<std::string>().empty()) {
      auto decoded = Base64Decode(a->get<std::string>());
      if (!decoded.ok()) return std::move(decoded).error().wrap(where + ".auth");
      auto colon = decoded->find(':');
      if (colon == std::string::npos) return Errorf("{}.auth: not base64 of USER:PASSWORD", where);
      c.username = decoded->substr(0, colon);
      c.password = decoded->substr(colon + 1);
    } else {
      c.username = StringField(*e, "username");
      c.password = StringField(*e, "password");
    }
    c.identity_token = StringField(*e, "identitytoken");
    if (c.username.empty() && c.identity_token.empty()) continue;
    return std::optional<Credential>{std::move(c)};
  }
  return store();
}

Status StoreCredential(const std::string& path, std::string_view host, std::string_view user,
                       std::string_view password) {
  DISTILL_TRY(nlohmann::json cfg, ReadConfig(path));
  if (!cfg.contains("auths")) cfg["auths"] = nlohmann::json::object();
  for (const auto& key : ConfigKeys(host)) cfg["auths"].erase(key);
  cfg["auths"][StoreKey(host)] = {
      {"auth", Base64Encode(std::string(user) + ":" + std::string(password))}};
  return WritePrivate(path, cfg.dump(1, '\t') + "\n");
}

Result<bool> EraseCredential(const std::string& path, std::string_view host) {
  DISTILL_TRY(nlohmann::json cfg, ReadConfig(path));
  if (!cfg.contains("auths")) return false;
  size_t erased = 0;
  for (const auto& key : ConfigKeys(host)) erased += cfg["auths"].erase(key);
  if (!erased) return false;
  DISTILL_TRY_VOID(WritePrivate(path, cfg.dump(1, '\t') + "\n"));
  return true;
}

}  // namespace distill::image::registry
