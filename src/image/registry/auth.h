// Registry authentication: the WWW-Authenticate challenge (RFC 7235), and credentials from the
// Docker config file (~/.docker/config.json, or $DOCKER_CONFIG/config.json), which `distill login`
// writes and `distill logout` edits. Secrets never appear in errors or logs: a Credential says
// where it came from (`source`) and that is what messages print.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill::image::registry {

struct Challenge {
  std::string scheme;                         // lowercased: "bearer", "basic"
  std::map<std::string, std::string> params;  // keys lowercased: realm, service, scope, error
};
// Parses a WWW-Authenticate value; several challenges may be given, separated by commas.
Result<std::vector<Challenge>> ParseChallenges(std::string_view header);

struct Credential {
  std::string username,
      password;  // or identity_token (OAuth2 refresh token) with username "<token>"
  std::string identity_token;
  std::string source;  // "/root/.docker/config.json", for messages
};

std::string Base64Encode(std::string_view in);
Result<std::string> Base64Decode(std::string_view in);

// $DOCKER_CONFIG/config.json, else $HOME/.docker/config.json.
std::string DockerConfigPath();
// The credential for a registry host in the config at `path` (nullopt when none; errors for a
// malformed file). Docker Hub is also looked up under "https://index.docker.io/v1/". Credential
// helpers (credHelpers, credsStore) are run as docker runs them.
Result<std::optional<Credential>> LookupCredential(const std::string& path, std::string_view host);
// Adds (or replaces) HOST's entry; the file keeps every other key; written atomically, mode 0600.
Status StoreCredential(const std::string& path, std::string_view host, std::string_view user,
                       std::string_view password);
// Removes HOST's entry; false when there was none.
Result<bool> EraseCredential(const std::string& path, std::string_view host);

}  // namespace distill::image::registry
