#include "imagebuild/deb/fetch_debs.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "imagebuild/deb/apt/apt.h"

namespace distill::imagebuild {
namespace {

namespace fs = std::filesystem;

// A lock made before the spec changed does not win silently (issue #26): each change is an error
// naming the package and asking for --update-lock. Nothing here reads an index or the network.
TEST(FetchDebsTest, ALockThatNoLongerMatchesTheSpecIsRefused) {
  std::string dir = fs::temp_directory_path() / ("distill-lock-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  AptSettings settings;
  settings.lock_path = dir + "/distill.lock";
  std::string sha(64, 'a');
  ASSERT_TRUE(apt::WriteLock(settings.lock_path,
                             {{"base-files", "12.4+deb12u5", "amd64", "http://m/b.deb", sha, 1},
                              {"netbase", "6.4", "all", "http://m/n.deb", sha, 1},
                              {"tzdata", "2024a-0+deb12u1", "all", "http://m/t.deb", sha, 1}})
                  .ok());
  auto plan = [&](const std::string& yaml) -> std::string {
    auto spec = ParseSpec(yaml, dir + "/app.yaml");
    EXPECT_TRUE(spec.ok()) << spec.error().message;
    if (!spec.ok()) return "bad spec";
    auto p = Plan(*spec, settings);
    return p.ok() ? "ok" : p.error().message;
  };
  EXPECT_EQ(plan("packages: [base-files, netbase]\n"), "ok");  // the rest: dependencies
  EXPECT_EQ(plan("packages: [base-files, netbase, tzdata=2024a-0+deb12u1]\nresolve: false\n"),
            "ok");
  EXPECT_EQ(plan("packages: [base-files, media-types]\n"),
            settings.lock_path +
                ": the spec installs media-types, the lock has no media-types for amd64: run with "
                "--update-lock");
  EXPECT_EQ(plan("packages: [tzdata=2025a-0+deb12u1]\n"),
            settings.lock_path +
                ": the spec pins tzdata=2025a-0+deb12u1, the lock has tzdata 2024a-0+deb12u1: run "
                "with --update-lock");
  EXPECT_EQ(plan("packages: [base-files, netbase]\nresolve: false\n"),
            settings.lock_path +
                ": the lock installs tzdata, which the spec (resolve: false) no longer lists: run "
                "with --update-lock");
  EXPECT_EQ(plan("packages: [base-files]\nca-bundle: true\n"),
            settings.lock_path +
                ": the spec wants the CA bundle, the lock has no ca-certificates for amd64: run "
                "with --update-lock");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace distill::imagebuild
