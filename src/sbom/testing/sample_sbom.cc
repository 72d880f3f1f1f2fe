#include "sbom/testing/sample_sbom.h"

#include "catalog/purl.h"

namespace distill::sbom::testing {

namespace {

constexpr const char* kLayer =
    "sha256:1111111111111111111111111111111111111111111111111111111111111111";

catalog::Package Deb(std::string name, std::string version, std::vector<std::string> licenses,
                     std::vector<std::string> depends) {
  catalog::Package p;
  p.name = std::move(name);
  p.version = std::move(version);
  p.type = "deb";
  p.found_by = "dpkg-db-cataloger";
  p.arch = "amd64";
  p.licenses = std::move(licenses);
  p.purl =
      catalog::Purl{
          "deb", "debian", p.name, p.version, {{"arch", "amd64"}, {"distro", "debian-12"}}, ""}
          .ToString();
  p.locations = {{"var/lib/dpkg/status", kLayer}};
  p.depends_on = depends;
  catalog::DpkgMetadata m;
  m.maintainer = "Debian Developers <debian-devel@lists.debian.org>";
  m.status = "install ok installed";
  m.depends = std::move(depends);
  p.metadata = m;
  return p;
}

}  // namespace

Sbom SampleSbom() {
  Sbom s;
  s.source = {"debian:12",
              "docker-archive",
              "sha256:2222222222222222222222222222222222222222222222222222222222222222",
              "sha256:3333333333333333333333333333333333333333333333333333333333333333",
              {"debian:12"},
              "linux/amd64"};
  s.created = 1700000000;
  s.tool_version = "0.1.0";
  auto& c = s.catalog;
  c.distro = {"debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)", ""};

  auto libc =
      Deb("libc6", "2.36-9+deb12u4", {"LGPL-2.1-or-later", "GPL-2.0-or-later"}, {"libgcc-s1"});
  libc.source_name = "glibc";
  libc.files = {{"usr/lib/x86_64-linux-gnu/libc.so.6", "md5", "0123456789abcdef0123456789abcdef"},
                {"etc/ld.so.conf.d/x86_64-linux-gnu.conf", "", ""}};
  libc.cpes = {"cpe:2.3:a:gnu:glibc:2.36-9\\+deb12u4:*:*:*:*:*:*:*"};
  auto gcc =
      Deb("libgcc-s1", "12.2.0-14", {"GPL-3.0-only WITH GCC-exception-3.1"}, {"libc6 (>= 2.35)"});
  gcc.source_name = "gcc-12";
  auto ssl = Deb("libssl3", "3.0.19-1~deb12u2", {"Apache-2.0"}, {});
  ssl.source_name = "openssl";
  ssl.purl = catalog::Purl{"deb",
                           "debian",
                           "libssl3",
                           ssl.version,
                           {{"arch", "amd64"}, {"distro", "debian-12"}, {"upstream", "openssl"}},
                           ""}
                 .ToString();
  ssl.files = {{"usr/lib/x86_64-linux-gnu/libssl.so.3", "md5", "FEDCBA9876543210FEDCBA9876543210"}};
  auto bash = Deb("bash", "5.2.15-2+b8", {"GPL-3.0-or-later", "Artistic or GPL (Perl licence)"},
                  {"base-files (>= 2.1.12)", "libc6"});
  bash.source_version = "5.2.15-2";
  bash.files = {{"usr/bin/bash", "md5", "00112233445566778899aabbccddeeff"}};
  auto tz = Deb("tzdata", "2024a-0+deb12u1", {"public-domain"}, {"debconf | debconf-2.0"});
  auto base = Deb("base-files", "12.4+deb12u5", {}, {});
  for (auto* p : {&base, &bash, &libc, &gcc, &ssl, &tz}) c.packages.push_back(*p);

  catalog::Package apk;
  apk.name = "musl";
  apk.version = "1.2.4-r2";
  apk.type = "apk";
  apk.found_by = "apk-db-cataloger";
  apk.arch = "x86_64";
  apk.licenses = {"MIT"};
  apk.purl = "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1";
  apk.locations = {{"lib/apk/db/installed", kLayer}};
  catalog::ApkMetadata am;
  am.origin = "musl";
  am.maintainer = "Timo Teräs <timo.teras@iki.fi>";
  am.description = "the musl c library (libc) implementation";
  am.provides = {"so:libc.musl-x86_64.so.1=1"};
  apk.metadata = am;
  c.packages.push_back(apk);

  catalog::Package py;
  py.name = "flask";
  py.version = "3.0.2";
  py.type = "python";
  py.found_by = "python-installed-package-cataloger";
  py.licenses = {"BSD-3-Clause OR (MIT AND Apache-2.0)"};
  py.purl = "pkg:pypi/flask@3.0.2";
  py.locations = {{"usr/lib/python3/dist-packages/flask-3.0.2.dist-info/METADATA", kLayer}};
  py.metadata = catalog::LanguageMetadata{"flask", ""};
  c.packages.push_back(py);

  c.relationships.push_back({libc.id(), gcc.id(), "depends-on"});
  c.unknowns.push_back(
      {{"var/lib/dpkg/status.d/broken", kLayer}, "line 3: field \"Version\": empty value"});
  return s;
}

}  // namespace distill::sbom::testing
