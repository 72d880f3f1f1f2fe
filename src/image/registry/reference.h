// Image references as registries name them: HOST[:PORT]/REPO[:TAG|@DIGEST], and the bare forms
// Docker accepts when they are unambiguous ("debian:12" → docker.io/library/debian:12).
// https://github.com/distribution/reference (grammar), read for its rules, not copied.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace distill::image::registry {

struct Reference {
  std::string host;        // as written ("127.0.0.1:5000", "docker.io")
  std::string repository;  // "library/debian", "team/app"
  std::string tag;         // empty when digest is set and no tag was given
  std::string digest;      // "sha256:…" or empty
  // What the registry's API takes after /manifests/: the digest when given, else the tag.
  std::string ManifestRef() const { return digest.empty() ? tag : digest; }
  // The host to connect to (docker.io's API lives on registry-1.docker.io).
  std::string ApiHost() const;
  std::string ToString() const;  // host/repo[:tag][@digest]
};

// Parses a reference; a missing tag and digest mean "latest". Errors name the offending part.
Result<Reference> ParseReference(std::string_view text);

// Whether HOST (with optional :PORT) is a loopback address, which may speak plain HTTP.
bool IsLoopbackHost(std::string_view host);

}  // namespace distill::image::registry
