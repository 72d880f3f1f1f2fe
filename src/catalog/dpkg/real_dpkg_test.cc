// Real data: the host's own dpkg database, read through a FileIndex built from its files, must
// give exactly the packages dpkg-query reports as installed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "catalog/catalog.h"
#include "catalog/testing/file_tree.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::catalog::dpkg {
namespace {

namespace fs = std::filesystem;

using distill::testing::Shell;

image::FileIndex HostDpkgIndex() {
  std::vector<image::Entry> entries;
  std::unordered_map<std::string, std::string> contents;
  auto add_dir = [&](const std::string& path) {
    image::Entry e;
    e.path = path;
    e.type = image::FileType::kDirectory;
    entries.push_back(e);
  };
  auto add_file = [&](const std::string& path) {
    auto data = ReadFile("/" + path);
    if (!data.ok()) return;
    image::Entry e;
    e.path = path;
    e.size = data->size();
    entries.push_back(e);
    contents[path] = std::move(data).value();
  };
  for (const char* d :
       {"var", "var/lib", "var/lib/dpkg", "var/lib/dpkg/info", "usr", "usr/share", "usr/share/doc"})
    add_dir(d);
  for (const auto& d : fs::directory_iterator("/usr/share/doc")) {
    std::string name = d.path().filename().string();
    if (!d.is_directory() || d.is_symlink() || !fs::exists(d.path() / "copyright")) continue;
    add_dir("usr/share/doc/" + name);
    add_file("usr/share/doc/" + name + "/copyright");
  }
  add_file("var/lib/dpkg/status");
  for (const auto& f : fs::directory_iterator("/var/lib/dpkg/info")) {
    std::string name = f.path().filename().string();
    if (name.ends_with(".list") || name.ends_with(".md5sums"))
      add_file("var/lib/dpkg/info/" + name);
  }
  return image::FileIndex(std::move(entries), {}, std::move(contents), nullptr);
}

TEST(RealDpkgOracle, HostDatabaseMatchesDpkgQuery) {
  if (!fs::exists("/var/lib/dpkg/status") || Shell("command -v dpkg-query").empty())
    GTEST_SKIP() << "no dpkg on this host";
  std::string query = Shell(
      "dpkg-query -W -f='${Package}\\t${Version}\\t${Architecture}\\t${db:Status-Status}\\n'");
  std::set<std::string> installed, all;
  size_t pos = 0;
  while (pos < query.size()) {
    size_t nl = query.find('\n', pos);
    std::string line = query.substr(pos, nl - pos);
    pos = nl == std::string::npos ? query.size() : nl + 1;
    size_t last = line.rfind('\t');
    std::string key = line.substr(0, last), state = line.substr(last + 1);
    all.insert(key);
    if (state == "installed" || state == "triggers-pending" || state == "triggers-awaited")
      installed.insert(key);
  }
  ASSERT_FALSE(installed.empty());

  image::FileIndex index = HostDpkgIndex();
  auto t0 = std::chrono::steady_clock::now();
  auto c = CatalogOs(index);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->unknowns.empty())
      << c->unknowns[0].location.path << ": " << c->unknowns[0].message;
  std::set<std::string> got;
  size_t with_files = 0, with_licenses = 0;
  for (const Package& p : c->packages) {
    EXPECT_TRUE(got.insert(p.name + "\t" + p.version + "\t" + p.arch).second)
        << "duplicate " << p.name;
    with_files += !p.files.empty();
    with_licenses += !p.licenses.empty();
  }
  std::printf("%zu packages, %zu with owned files, %zu with SPDX licenses, cataloged in %lld ms\n",
              got.size(), with_files, with_licenses, static_cast<long long>(ms));
  EXPECT_EQ(got, installed);
  // dpkg-query -W also lists packages in other states (config-files, half-installed): those are
  // the only difference, by design.
  for (const auto& k : all)
    if (!got.count(k)) EXPECT_FALSE(installed.count(k)) << k;
  // Every package that ships files has an md5sums or list file on a Debian host.
  EXPECT_GT(with_files, got.size() * 9 / 10);
}

// rootfs-minbase's real status file (scripts/make-test-images.sh) with records edited the ways dpkg
// leaves them or never writes them: no Status: line (dpkg-query: "unknown ok not-installed"),
// "deinstall ok config-files" (what `dpkg --remove` leaves), "hold ok installed". dpkg-query on
// the edited database is the oracle: the same packages are installed.
TEST(RealDpkgOracle, EditedMinbaseStatusAgreesWithDpkgQuery) {
  const char* env = std::getenv("DISTILL_TEST_IMAGES");
  std::string root =
      std::string(env && *env ? env : "/var/cache/distill/test-images") + "/rootfs-minbase";
  auto status = ReadFile(root + "/var/lib/dpkg/status");
  if (!status.ok() || Shell("command -v dpkg-query").empty())
    GTEST_SKIP() << "no " << root << " or no dpkg-query";
  std::string edited;
  int n = 0, dropped = 0;
  for (size_t pos = 0; pos < status->size();) {
    size_t end = status->find("\n\n", pos);
    end = end == std::string::npos ? status->size() : end + 2;
    std::string para = status->substr(pos, end - pos);
    pos = end;
    const std::string installed = "Status: install ok installed\n";
    size_t at = para.find(installed);
    if (at != std::string::npos && n % 7 == 3)
      para.erase(at, installed.size()), ++dropped;
    else if (at != std::string::npos && n % 11 == 5)
      para.replace(at, installed.size(), "Status: deinstall ok config-files\n");
    else if (at != std::string::npos && n % 13 == 8)
      para.replace(at, installed.size(), "Status: hold ok installed\n");
    edited += para;
    ++n;
  }
  ASSERT_GT(dropped, 10);
  fs::path admin =
      fs::temp_directory_path() / ("distill-dpkg-edited-" + std::to_string(::getpid()));
  fs::create_directories(admin / "updates");
  ASSERT_TRUE(WriteFileAtomic((admin / "status").string(), edited, Durable::kNo).ok());
  std::set<std::string> want;
  std::string query =
      Shell("dpkg-query --admindir=" + admin.string() +
            " -W -f='${db:Status-Status}\\t${Package}\\t${Version}\\t${Architecture}\\n'");
  fs::remove_all(admin);
  for (size_t pos = 0; pos < query.size();) {
    size_t nl = query.find('\n', pos);
    if (nl == std::string::npos) nl = query.size();
    std::string line = query.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.starts_with("installed\t")) want.insert(line.substr(10));
  }
  ASSERT_GT(want.size(), 50u);
  auto c = CatalogOs(testing::IndexFromFiles({{"var/lib/dpkg/status", edited}}));
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->unknowns.empty());
  std::set<std::string> got;
  for (const Package& p : c->packages) got.insert(p.name + "\t" + p.version + "\t" + p.arch);
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace distill::catalog::dpkg
