// Test helper: runs a command inside an image under crun, the OCI runtime, as a real oracle of
// "the image runs".
#pragma once

#include <map>
#include <string>
#include <vector>

namespace distill::testing {

// Unpacks the image with umoci (which sets process.user from the image config's User, resolved
// through the image's /etc/passwd) into `bundle` and runs args in it under crun. crun refuses a
// hybrid cgroup hierarchy ("cgroups in hybrid mode not supported"), so it runs in a private mount
// namespace without the cgroup2 `unified` mount when the host has one: crun then sees pure cgroup
// v1; a pure v2 host is left as is. Returns stdout; a failure to run is a test failure (with
// crun's stderr). layout_ref: "DIR:TAG" (an OCI layout and a tag in it). mounts: read-only bind
// mounts, host path -> path in the container.
std::string RunIn(const std::string& layout_ref, const std::string& bundle,
                  const std::vector<std::string>& args, int* rc,
                  const std::map<std::string, std::string>& mounts = {});

}  // namespace distill::testing
