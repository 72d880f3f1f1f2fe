// Fuzzes what a registry or a user hands the registry client as text: WWW-Authenticate challenges,
// image references, registry error bodies and base64 credentials. Never crash; whatever parses as
// a reference prints a form that parses back to the same components.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "image/registry/auth.h"
#include "image/registry/client.h"
#include "image/registry/reference.h"

namespace reg = distill::image::registry;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  auto challenges = reg::ParseChallenges(input);
  if (challenges.ok())
    for (const auto& c : *challenges)
      if (c.scheme.empty()) abort();
  auto ref = reg::ParseReference(input);
  if (ref.ok()) {
    auto again = reg::ParseReference(ref->ToString());
    if (!again.ok() || again->host != ref->host || again->repository != ref->repository ||
        again->tag != ref->tag || again->digest != ref->digest)
      abort();
  }
  (void)reg::RegistryErrorSummary(input);
  auto decoded = reg::Base64Decode(input);
  if (decoded.ok() && reg::Base64Decode(reg::Base64Encode(*decoded)).value() != *decoded) abort();
  return 0;
}
