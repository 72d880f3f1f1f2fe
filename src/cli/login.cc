// distill login REGISTRY -u USER --password-stdin / distill logout REGISTRY: the Docker config's
// "auths" entries (~/.docker/config.json, or $DOCKER_CONFIG/config.json), as docker and skopeo use.
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "image/registry/client.h"

namespace distill::cli {

namespace {

namespace reg = image::registry;

struct LoginOptions {
  std::string registry, username;
  bool password_stdin = false;
};

// "https://host:5000/" → "host:5000"; Docker Hub's names → "docker.io".
std::string NormalizeHost(std::string h) {
  for (const char* p : {"https://", "http://"})
    if (h.starts_with(p)) h = h.substr(std::string_view(p).size());
  h = h.substr(0, h.find('/'));
  if (h == "index.docker.io" || h == "registry-1.docker.io") h = "docker.io";
  return h;
}

std::string ApiHost(const std::string& host) {
  return host == "docker.io" ? "registry-1.docker.io" : host;
}

int RunLogin(const LoginOptions& options, const Globals& globals) {
  std::string host = NormalizeHost(options.registry);
  if (host.empty()) return ReportError(Errorf("login: empty registry name"));
  if (!options.password_stdin)
    return ReportError(Errorf("login: pass the password on stdin with --password-stdin"));
  std::string password((std::istreambuf_iterator<char>(std::cin)),
                       std::istreambuf_iterator<char>());
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r'))
    password.pop_back();
  if (options.username.empty() || password.empty())
    return ReportError(Errorf("login: username and password must not be empty"));
  reg::Options opt = RegistryOptions(globals);
  opt.credential = reg::Credential{options.username, password, "", "distill login"};
  auto client = reg::Client::Create(ApiHost(host), opt);
  if (!client.ok()) return ReportError(client.error());
  reg::HttpRequest ping;
  ping.url = "/v2/";
  auto resp = (*client)->Send(ping, {});
  if (!resp.ok()) return ReportError(resp.error().wrap("login"));
  if (resp->status != 200) return ReportError((*client)->ErrorFor(ping, *resp).wrap("login"));
  std::string path = reg::DockerConfigPath();
  auto stored = reg::StoreCredential(path, host, options.username, password);
  if (!stored.ok()) return ReportError(stored.error());
  if (!globals.quiet)
    fmt::print(stderr, "Login Succeeded (credentials for {} stored in {})\n", host, path);
  return kExitOk;
}

int RunLogout(const std::string& registry, const Globals& globals) {
  std::string host = NormalizeHost(registry);
  std::string path = reg::DockerConfigPath();
  auto erased = reg::EraseCredential(path, host);
  if (!erased.ok()) return ReportError(erased.error());
  if (!*erased)
    return ReportError(Errorf("logout: not logged in to {} (no entry in {})", host, path));
  if (!globals.quiet) fmt::print(stderr, "Removed login credentials for {} from {}\n", host, path);
  return kExitOk;
}

}  // namespace

RunFn SetupLogin(CLI::App& sub, const Globals& globals) {
  auto o = std::make_shared<LoginOptions>();
  sub.add_option("registry", o->registry, "Registry host[:port]")->required();
  sub.add_option("-u,--username", o->username, "User name")->required();
  sub.add_flag("--password-stdin", o->password_stdin, "Read the password (or token) from stdin");
  return [o, &globals] { return RunLogin(*o, globals); };
}

RunFn SetupLogout(CLI::App& sub, const Globals& globals) {
  auto registry = std::make_shared<std::string>();
  sub.add_option("registry", *registry, "Registry host[:port]")->required();
  return [registry, &globals] { return RunLogout(*registry, globals); };
}

}  // namespace distill::cli
