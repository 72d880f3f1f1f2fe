// `distill scan` of a directory holding a Go binary built here with Debian's Go 1.19.8, against a
// database imported from the Go vulnerability database's own record GO-2023-2102 (the HTTP/2
// rapid reset): the standard library's finding. Before, the scan printed `warning: stdlib
// go1.19.8: GO-2023-2102: invalid Go module version "vgo1.19.8"` and reported nothing.
#include <gtest/gtest.h>

#include <filesystem>

#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::vuln::match {
namespace {

namespace fs = std::filesystem;
using distill::testing::Ran;
using distill::testing::Shell;

TEST(RealGoStdlibScanTest, Go1198BinaryHasTheRapidResetFinding) {
  int rc = 0;
  std::string go = Shell("go env GOVERSION 2>/dev/null", &rc);
  if (rc != 0) GTEST_SKIP() << "no go toolchain (apt-get install golang-go)";
  if (go != "go1.19.8\n") GTEST_SKIP() << "the expected findings are those of go1.19.8, not " << go;
  const std::string dir = distill::testing::TempDir();
  fs::create_directories(dir + "/src");
  fs::create_directories(dir + "/root/usr/local/bin");
  ASSERT_TRUE(WriteFileAtomic(dir + "/src/go.mod", "module example.com/server\n\ngo 1.19\n").ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/src/main.go",
                              "package main\n\nimport \"net/http\"\n\n"
                              "func main() { _ = http.ListenAndServe(\":8080\", nil) }\n")
                  .ok());
  // As distroless `static` images hold them: CGO_ENABLED=0, a version stamped with -X.
  std::string log =
      Shell("cd '" + dir + "/src' && CGO_ENABLED=0 GOFLAGS=-mod=mod GOPROXY=off GOCACHE='" + dir +
                "/cache' GOPATH='" + dir +
                "/gopath' go build -ldflags '-s -w -X main.version=1.0.0' -o '" + dir +
                "/root/usr/local/bin/server' . 2>&1",
            &rc);
  ASSERT_EQ(rc, 0) << log;
  const std::string env = "env XDG_CACHE_HOME='" + dir + "/xdg' ";
  const std::string db = dir + "/vuln.db";
  Ran imported =
      distill::testing::Run(env + DISTILL_BINARY + " db import --db '" + db + "' " +
                            DISTILL_SOURCE_DIR + "/tests/fixtures/vuln/govulndb/GO-2023-2102.json");
  ASSERT_EQ(imported.rc, 0) << imported.err;
  Ran r =
      distill::testing::Run(env + DISTILL_BINARY + " scan --db '" + db + "' dir:" + dir + "/root");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.err, "");  // no "invalid Go module version" warning
  EXPECT_EQ(r.out,
            "Go (golang): usr/local/bin/server\n"
            "=================================\n"
            "Total: 1 (UNKNOWN: 1, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0)\n"
            "\n"
            "Package  Installed  Fixed in         Vulnerability   Severity  Status\n"
            "stdlib   go1.19.8   1.20.10, 1.21.3  CVE-2023-39325  UNKNOWN   fixed\n"
            "\n"
            "Total: 1 (UNKNOWN: 1, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0)\n");
}

}  // namespace
}  // namespace distill::vuln::match
