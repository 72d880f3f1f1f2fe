// Specs equal to Google distroless's Debian 12 images: static, base-nossl, base, cc, python3, each
// with a --nonroot variant. The package lists are distroless's own (hand-curated, no dependency
// resolution), copied from tests/fixtures/distroless/debian12-images.json — see MANIFEST.md there.
#pragma once

#include <string>
#include <vector>

#include "imagebuild/spec.h"

namespace distill::imagebuild {

std::vector<std::string> PresetNames();
Result<Spec> PresetSpec(const std::string& name, bool nonroot);

}  // namespace distill::imagebuild
