// Test helper: a real CNCF distribution registry (Debian's docker-registry) on 127.0.0.1, on a
// free port, in a temporary directory; stopped (SIGTERM, then reaped) when the object goes away.
// Three flavours: plain HTTP and anonymous; htpasswd Basic auth behind a self-signed TLS
// certificate (made with the openssl CLI); Bearer tokens from a small token endpoint (python3 +
// python3-jwt, RS256 with the certificate in the x5c header, which the registry trusts; GET with
// Basic auth, and the OAuth2 POST with a refresh token or a password).
#pragma once

#include <sys/types.h>
#include <memory>
#include <string>
#include <vector>

namespace distill::testing {

class RegistryServer {
 public:
  enum class Auth { kNone, kBasic, kToken };
  struct Config {
    bool tls = false;
    Auth auth = Auth::kNone;
    std::string user = "alice", password = "wonderland-7";
  };
  // nullptr (and *error) when a tool is missing or the registry does not come up.
  static std::unique_ptr<RegistryServer> Start(const Config& c, std::string* error);
  ~RegistryServer();
  RegistryServer(const RegistryServer&) = delete;
  RegistryServer& operator=(const RegistryServer&) = delete;

  const std::string& host() const { return host_; }  // "127.0.0.1:PORT"
  const std::string& dir() const { return dir_; }
  const std::string& ca_cert() const { return cert_; }  // PEM, with tls
  const Config& config() const { return config_; }
  // With kToken: the identity token (OAuth2 refresh token) the token endpoint's POST accepts.
  std::string identity_token() const { return "rt-" + config_.password; }

 private:
  RegistryServer() = default;
  std::string dir_, host_, cert_;
  Config config_;
  pid_t registry_pid_ = -1, token_pid_ = -1;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
int FreePort();

// Starts argv[0] (searched in PATH) with stdout and stderr going to the file `log`.
pid_t Spawn(const std::vector<std::string>& argv, const std::string& log);

// Whether something accepts TCP connections on 127.0.0.1:port now.
bool Listening(int port);

// Ends a child the tests started: SIGTERM, up to `grace_ms` for it to exit, then SIGKILL; reaped
// either way. pid <= 0 is nothing to stop.
void StopChild(pid_t pid, int grace_ms);

}  // namespace distill::testing
