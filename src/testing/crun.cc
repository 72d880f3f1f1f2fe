#include "testing/crun.h"

#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/shell.h"
#include "util/file.h"

namespace distill::testing {

std::string RunIn(const std::string& layout_ref, const std::string& bundle,
                  const std::vector<std::string>& args, int* rc,
                  const std::map<std::string, std::string>& mounts) {
  std::string out = Shell("umoci unpack --image " + layout_ref + " " + bundle + " 2>&1", rc);
  EXPECT_EQ(*rc, 0) << "umoci unpack " << layout_ref << ": " << out;
  if (*rc != 0) return "umoci failed";
  auto cfg = nlohmann::json::parse(ReadFile(bundle + "/config.json").value());
  cfg["process"]["args"] = args;
  cfg["process"]["terminal"] = false;
  for (const auto& [host, inside] : mounts)
    cfg["mounts"].push_back({{"destination", inside},
                             {"type", "bind"},
                             {"source", host},
                             {"options", {"rbind", "ro"}}});
  EXPECT_TRUE(WriteFileAtomic(bundle + "/config.json", cfg.dump()).ok());
  static int n = 0;
  std::string name = fmt::format("distill-test-{}-{}", getpid(), ++n);
  std::string cmd =
      "unshare -m sh -c 'mount --make-rprivate / && "
      "if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi && "
      "exec crun run -b " +
      bundle + " " + name + "' 2>" + bundle + ".stderr";
  out = Shell(cmd, rc);
  EXPECT_EQ(*rc, 0) << cmd << "\n" << Shell("cat " + bundle + ".stderr");
  return out;
}

}  // namespace distill::testing
