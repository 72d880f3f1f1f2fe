#include "image/engine/engine.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "image/engine/body_reader.h"
#include "image/registry/http.h"
#include "image/registry/reference.h"

namespace distill::image::engine {

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// "unix:///path" or "tcp://host:port" (from DOCKER_HOST / CONTAINER_HOST).
Result<Endpoint> FromHostVariable(std::string_view engine, std::string_view var,
                                  std::string_view value) {
  Endpoint ep{std::string(engine), "", "http://localhost"};
  if (value.starts_with("unix://")) {
    ep.socket = std::string(value.substr(7));
    if (ep.socket.empty()) return Errorf("{}={}: no socket path", var, value);
  } else if (value.starts_with("tcp://")) {
    ep.base_url = "http://" + std::string(value.substr(6));
    while (ep.base_url.ends_with('/')) ep.base_url.pop_back();
  } else {
    return Errorf("{}={}: only unix:// and tcp:// addresses are supported", var, value);
  }
  return ep;
}

bool Exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

Result<Endpoint> Locate(std::string_view engine) {
  if (engine == "docker") {
    if (std::string host = Env("DOCKER_HOST"); !host.empty())
      return FromHostVariable(engine, "DOCKER_HOST", host);
    return Endpoint{"docker", "/var/run/docker.sock", "http://localhost"};
  }
  if (engine != "podman") return InternalErrorf("unknown container engine '{}'", engine);
  if (std::string host = Env("CONTAINER_HOST"); !host.empty())
    return FromHostVariable(engine, "CONTAINER_HOST", host);
  std::vector<std::string> candidates;
  if (std::string xdg = Env("XDG_RUNTIME_DIR"); !xdg.empty())
    candidates.push_back(xdg + "/podman/podman.sock");
  candidates.push_back("/run/podman/podman.sock");
  for (const auto& c : candidates)
    if (Exists(c)) return Endpoint{"podman", c, "http://localhost"};
  return Endpoint{"podman", candidates.back(), "http://localhost"};
}

// One connect() to the socket, to tell a missing socket, a dead daemon and a forbidden one apart
// before libcurl would lump them together as "Couldn't connect to server".
Status Probe(const Endpoint& ep) {
  if (ep.socket.empty()) return {};
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (ep.socket.size() >= sizeof(addr.sun_path)) return Errorf("socket path is too long");
  std::memcpy(addr.sun_path, ep.socket.c_str(), ep.socket.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return InternalErrorf("socket: {}", std::strerror(errno));
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  int err = errno;
  ::close(fd);
  if (rc == 0) return {};
  const bool docker = ep.engine == "docker";
  switch (err) {
    case ENOENT:
      return Errorf("no such socket ({})",
                    docker
                        ? "is the Docker daemon running? DOCKER_HOST names another socket"
                        : "is the podman service running? start it with `podman system service`");
    case ECONNREFUSED:
      return Errorf("connection refused (nothing listens on the socket: is the {} running?)",
                    docker ? "Docker daemon" : "podman service");
    case EACCES:
    case EPERM:
      return Errorf("permission denied (run as a user allowed to use the socket{})",
                    docker ? ", e.g. in the docker group" : "");
    default:
      return Errorf("cannot connect: {}", std::strerror(err));
  }
}

std::string Escape(std::string_view ref) {
  std::string out;
  for (unsigned char c : ref) {
    if (std::isalnum(c) || std::strchr("._-/:@", c))
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

registry::HttpRequest Request(const Endpoint& ep, std::string method, std::string path) {
  registry::HttpRequest req;
  req.method = std::move(method);
  req.url = ep.base_url + path;
  req.unix_socket = ep.socket;
  req.connect_timeout_seconds = 10;
  req.low_speed_seconds = 300;  // an engine may think a while before a big image's first byte
  req.follow_redirects = false;
  return req;
}

Error Describe(const registry::HttpResponse& r) {
  if (r.curl_code) return Errorf("{}", r.error);
  std::string msg = ErrorMessage(r.body);
  if (r.status == 404) return Errorf("no such image{}", msg.empty() ? "" : " (" + msg + ")");
  return Errorf("HTTP {}{}", r.status, msg.empty() ? "" : ": " + msg);
}

}  // namespace

std::string Endpoint::Where() const {
  if (!socket.empty()) return socket;
  std::string_view u = base_url;
  if (u.starts_with("http://")) u.remove_prefix(7);
  return "tcp://" + std::string(u);
}

std::string Context(const Endpoint& ep, std::string_view ref) {
  return fmt::format("{} ({}): {}", ep.engine, ep.Where(), ref);
}

Result<Endpoint> Connect(std::string_view engine, std::string_view ref) {
  auto located = Locate(engine);
  if (!located.ok()) return std::move(located).error().wrap(fmt::format("{}: {}", engine, ref));
  Endpoint ep = std::move(*located);
  auto probed = Probe(ep);
  if (!probed.ok()) return std::move(probed).error().wrap(Context(ep, ref));
  return ep;
}

std::string ApiReference(std::string_view ref) {
  std::string r(ref);
  std::string_view hex = ref.starts_with("sha256:") ? ref.substr(7) : ref;
  bool id = hex.size() >= 12 && hex.size() <= 64 &&
            hex.find_first_not_of("0123456789abcdef") == std::string_view::npos;
  if (id || r.find('@') != std::string::npos) return r;
  auto slash = r.rfind('/');
  auto colon = r.rfind(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) r += ":latest";
  return r;
}

Result<nlohmann::json> Inspect(const Endpoint& ep, std::string_view ref) {
  auto req = Request(ep, "GET", "/images/" + Escape(ApiReference(ref)) + "/json");
  req.max_body = 16 << 20;
  auto resp = registry::HttpDo(req, {});
  if (!resp.ok()) return std::move(resp).error().wrap(Context(ep, ref));
  if (resp->curl_code || resp->status != 200) return Describe(*resp).wrap(Context(ep, ref));
  auto j = nlohmann::json::parse(resp->body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Errorf("{}: the engine's image description is not a JSON object", Context(ep, ref));
  return j;
}

std::unique_ptr<ByteStream> Save(const Endpoint& ep, std::string_view ref) {
  auto req = Request(ep, "GET", "/images/" + Escape(ApiReference(ref)) + "/get");
  return std::make_unique<BodyReader>(std::move(req), &Describe);
}

Result<std::string> Load(const Endpoint& ep, std::string archive) {
  auto req = Request(ep, "POST", "/images/load?quiet=1");
  req.headers.push_back("Content-Type: application/x-tar");
  req.body = std::move(archive);
  req.has_body = true;
  auto resp = registry::HttpDo(req, {});
  std::string ctx = fmt::format("{} ({})", ep.engine, ep.Where());
  if (!resp.ok()) return std::move(resp).error().wrap(ctx);
  if (resp->curl_code) return Errorf("{}: loading the image: {}", ctx, resp->error);
  if (resp->status != 200) {
    std::string msg = ErrorMessage(resp->body);
    return Errorf("{}: loading the image: HTTP {}{}", ctx, resp->status,
                  msg.empty() ? "" : ": " + msg);
  }
  auto said = ParseLoadResponse(resp->body);
  if (!said.ok()) return std::move(said).error().wrap(ctx + ": loading the image");
  return said;
}

std::string ErrorMessage(std::string_view body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object()) {
    for (const char* key : {"message", "cause", "error"}) {
      auto it = j.find(key);
      if (it != j.end() && it->is_string() && !it->get<std::string>().empty())
        return it->get<std::string>();
    }
  }
  std::string s;
  for (char c : body.substr(0, 200)) s += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  while (!s.empty() && s.back() == ' ') s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  if (body.size() > 200) s += "…";
  return s;
}

Result<std::string> ParseLoadResponse(std::string_view body) {
  std::string said;
  while (!body.empty()) {
    auto nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body = nl == std::string_view::npos ? std::string_view{} : body.substr(nl + 1);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object()) return Errorf("unexpected response: {}", ErrorMessage(line));
    auto e = j.find("error");
    auto d = j.find("errorDetail");
    if (e != j.end() || d != j.end()) {
      std::string msg = e != j.end() && e->is_string() ? e->get<std::string>() : "";
      if (msg.empty() && d != j.end() && d->is_object())
        if (auto m = d->find("message"); m != d->end() && m->is_string())
          msg = m->get<std::string>();
      return Errorf("{}", msg.empty() ? "the engine reported an error" : msg);
    }
    if (auto s = j.find("stream"); s != j.end() && s->is_string()) said += s->get<std::string>();
  }
  while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
  return said;
}

}  // namespace distill::image::engine
