#include "catalog/ownership.h"

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "catalog/testing/file_tree.h"

namespace distill::catalog {
namespace {

// Debian's python3-flask installs Flask's egg-info: one package (the deb), unless --keep-owned.
// A pip-installed copy in /usr/local (a vendored copy no package lists) stays.
image::FileIndex FlaskTree() {
  return testing::IndexFromFiles({
      {"etc/os-release", "ID=debian\nVERSION_ID=12\n"},
      {"var/lib/dpkg/status",
       "Package: python3-flask\nStatus: install ok installed\nVersion: 2.2.2-3\nArchitecture: "
       "all\n"},
      {"var/lib/dpkg/info/python3-flask.list",
       "/.\n/usr\n/usr/lib/python3/dist-packages/Flask-2.2.2.egg-info\n"
       "/usr/lib/python3/dist-packages/Flask-2.2.2.egg-info/PKG-INFO\n"},
      {"usr/lib/python3/dist-packages/Flask-2.2.2.egg-info/PKG-INFO",
       "Metadata-Version: 2.1\nName: Flask\nVersion: 2.2.2\n"},
      {"usr/local/lib/python3.11/dist-packages/flask-3.0.0.dist-info/METADATA",
       "Name: Flask\nVersion: 3.0.0\n"},
  });
}

TEST(OwnershipTest, OwnedLanguagePackagesAreReportedOnce) {
  auto c = CatalogImage(FlaskTree());
  ASSERT_TRUE(c.ok());
  std::vector<std::string> got;
  for (const Package& p : c->packages) got.push_back(p.type + "/" + p.name + "@" + p.version);
  EXPECT_EQ(got, (std::vector<std::string>{"deb/python3-flask@2.2.2-3", "python/Flask@3.0.0"}));
  for (const Relationship& r : c->relationships) EXPECT_NE(r.type, "owns");
}

TEST(OwnershipTest, KeepOwnedKeepsBothWithAnOwnsEdge) {
  CatalogOptions o;
  o.keep_owned = true;
  auto c = CatalogImage(FlaskTree(), o);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->packages.size(), 3u);
  std::vector<Relationship> owns;
  for (const Relationship& r : c->relationships)
    if (r.type == "owns") owns.push_back(r);
  ASSERT_EQ(owns.size(), 1u);
  EXPECT_EQ(owns[0].from, "deb/python3-flask@2.2.2-3/all#var/lib/dpkg/status");
  EXPECT_EQ(owns[0].to,
            "python/Flask@2.2.2/#usr/lib/python3/dist-packages/Flask-2.2.2.egg-info/PKG-INFO");
}

TEST(OwnershipTest, UsrMergeSymlinksResolve) {
  // dpkg lists /bin/tool; the file is at usr/bin/tool behind the bin -> usr/bin link.
  auto base = testing::IndexFromFiles(
      {{"var/lib/dpkg/status", "Package: tool\nStatus: install ok installed\nVersion: 1\n"},
       {"var/lib/dpkg/info/tool.list", "/bin/tool\n"},
       {"usr/bin/x", ""}});
  std::vector<image::Entry> entries = base.entries();
  image::Entry link;
  link.path = "bin";
  link.type = image::FileType::kSymlink;
  link.link = "usr/bin";
  entries.push_back(link);
  image::FileIndex files(entries, {}, {}, nullptr);
  std::vector<Package> pkgs(2);
  pkgs[0].type = "deb";
  pkgs[0].name = "tool";
  pkgs[0].files = {{"bin/tool", "", ""}};
  pkgs[0].locations = {{"var/lib/dpkg/status", ""}};
  pkgs[1].type = "go-module";
  pkgs[1].name = "example.com/tool";
  pkgs[1].locations = {{"usr/bin/tool", ""}};
  auto r = OwnershipRelationships(files, pkgs);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].to, pkgs[1].id());
}

}  // namespace
}  // namespace distill::catalog

namespace distill::catalog {
namespace {

TEST(LanguageTableTest, NamesAndPlan) {
  std::vector<std::string> names;
  for (const Cataloger& c : LanguageCatalogers()) {
    names.push_back(c.name);
    EXPECT_FALSE(c.globs.empty()) << c.name;
  }
  EXPECT_EQ(names.front(), "python-installed-package-cataloger");
  EXPECT_EQ(names.back(), "binary-cataloger");
  image::ContentPlan plan = CatalogPlan();
  auto entry = [](const char* path, uint32_t mode, uint64_t size) {
    image::Entry e;
    e.path = path;
    e.mode = mode;
    e.size = size;
    return e;
  };
  auto wants = [&](const char* path, uint32_t mode = 0644, uint64_t size = 1000) {
    return plan.wants(entry(path, mode, size));
  };
  // Binaries are streamed past the prescan (visited), never kept.
  auto visits = [&](const char* path, uint32_t mode = 0644, uint64_t size = 1000) {
    return plan.visitor && plan.visit && plan.visit(entry(path, mode, size));
  };
  for (const char* p : {"usr/lib/python3/dist-packages/Flask-2.2.2.egg-info/PKG-INFO",
                        "app/node_modules/@s/c/package.json", "srv/app.war",
                        "usr/local/lib/python3.11/site-packages/x-1.dist-info/RECORD",
                        "app/App.deps.json", "var/lib/dpkg/status"})
    EXPECT_TRUE(wants(p)) << p;
  EXPECT_TRUE(visits("usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0"));
  EXPECT_FALSE(wants("usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0"));
  EXPECT_TRUE(visits("usr/local/bin/app", 0755));
  EXPECT_FALSE(wants("usr/local/bin/app", 0755));
  EXPECT_FALSE(visits("usr/local/bin/app", 0755, 100ull << 20));  // over the binary bound
  for (const char* p : {"app/node_modules/a/lib/package.json", "usr/share/doc/x/README"})
    EXPECT_FALSE(wants(p)) << p;
  CatalogOptions os;
  os.languages = false;
  image::ContentPlan os_plan = CatalogPlan(os);
  EXPECT_FALSE(os_plan.wants(entry("usr/local/bin/app", 0755, 1000)));
  EXPECT_FALSE(os_plan.visitor) << "no binaries are analysed without languages";
}

}  // namespace
}  // namespace distill::catalog
