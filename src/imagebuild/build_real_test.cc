// distill build end to end with real Debian packages ($DISTILL_TEST_IMAGES/debs-distroless, made by
// scripts/make-test-images.sh): the presets pass Google distroless's own structure tests, equal its
// package lists, are reproducible to the byte, carry an SBOM equal to `distill sbom`'s, load with
// skopeo, and run under crun.
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "image/image.h"
#include "image/writer.h"
#include "imagebuild/deb/deb.h"
#include "testing/crun.h"
#include "testing/image_builder.h"
#include "testing/podman_service.h"
#include "testing/registry_server.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::imagebuild {
namespace {

using distill::testing::RunIn;
using distill::testing::Shell;
namespace fs = std::filesystem;

std::string DebDir() {
  const char* env = std::getenv("DISTILL_TEST_IMAGES");
  return std::string(env ? env : "/var/cache/distill/test-images") + "/debs-distroless";
}

std::string Fixture(const std::string& name) {
  return std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/distroless/" + name;
}

// The package names of a distroless Debian 12 image, following "base" links in
// debian12-images.json.
std::set<std::string> DistrolessPackages(const std::string& image) {
  auto j = nlohmann::json::parse(ReadFile(Fixture("debian12-images.json")).value());
  std::set<std::string> out;
  for (std::string name = image + "-debian12"; !name.empty();) {
    const auto& e = j.at(name);
    for (const char* key : {"debs", "debs_added"})
      if (e.contains(key))
        for (const auto& d : e[key]) out.insert(d["name"].get<std::string>());
    name = e["base"].is_null() ? "" : e["base"].get<std::string>() + "";
  }
  return out;
}

// --deb arguments: every cached .deb (ca-certificates only feeds the bundle of a preset).
std::string DebArgs(const std::set<std::string>& names) {
  std::string args;
  for (const auto& e : fs::directory_iterator(DebDir())) {
    std::string f = e.path().filename().string();
    if (!f.ends_with(".deb")) continue;
    std::string name = f.substr(0, f.find('_'));
    if (names.contains(name) || name == "ca-certificates") args += " --deb " + e.path().string();
  }
  return args;
}

bool IsDeb(const std::string& path) {
  char magic[8] = {};
  std::ifstream(path, std::ios::binary).read(magic, 8);
  return std::string_view(magic, 8) == "!<arch>\n";
}

std::string Build(const std::string& args, const std::string& cwd = "", int* rc_out = nullptr) {
  int rc = 0;
  std::string cmd =
      (cwd.empty() ? "" : "cd " + cwd + " && ") + std::string(DISTILL_BINARY) + " build -q " + args;
  std::string out = Shell(cmd, &rc);
  if (rc_out)
    *rc_out = rc;
  else
    EXPECT_EQ(rc, 0) << cmd;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// container-structure-test's fileExistenceTests, fileContentTests and metadataTest, on our reader.
void CheckStructure(const image::LoadedImage& img, const std::string& yaml_file) {
  SCOPED_TRACE(yaml_file);
  YAML::Node y = YAML::LoadFile(Fixture(yaml_file));
  for (const auto& t : y["fileExistenceTests"]) {
    std::string path = t["path"].as<std::string>().substr(1);
    bool should = t["shouldExist"].as<bool>();
    const image::Entry* e = path.empty() ? nullptr : img.files.Find(path);
    bool exists = path.empty() || img.files.Resolve(path).ok();
    EXPECT_EQ(exists, should) << t["name"].as<std::string>() << " " << path;
    if (t["permissions"] && e)
      EXPECT_EQ(fmt::format("{:o}", e->mode & 07777), t["permissions"].as<std::string>());
    if (t["uid"] && e) EXPECT_EQ(e->uid, t["uid"].as<unsigned>());
  }
  for (const auto& t : y["fileContentTests"]) {
    std::string path = t["path"].as<std::string>().substr(1);
    auto text = img.files.Contents(path);
    ASSERT_TRUE(text.ok()) << path << ": " << text.error().message;
    for (const auto& re : t["expectedContents"])
      EXPECT_TRUE(std::regex_search(*text, std::regex(re.as<std::string>())))
          << t["name"].as<std::string>() << ": /" << re.as<std::string>() << "/ in\n"
          << *text;
    for (const auto& re : t["excludedContents"])
      EXPECT_FALSE(std::regex_search(*text, std::regex(re.as<std::string>())))
          << t["name"].as<std::string>();
  }
  if (auto m = y["metadataTest"]) {
    const auto& c = img.meta.config["config"];
    for (const auto& ev : m["envVars"]) {
      std::string want = ev["key"].as<std::string>() + "=" + ev["value"].as<std::string>();
      EXPECT_THAT(c["Env"].get<std::vector<std::string>>(), ::testing::Contains(want));
    }
    if (m["user"]) EXPECT_EQ(c["User"], m["user"].as<std::string>());
    if (m["workdir"]) EXPECT_EQ(c["WorkingDir"], m["workdir"].as<std::string>());
  }
}

image::LoadedImage LoadAll(const std::string& src) {
  image::LoadOptions opt;
  opt.plan.globs = catalog::CatalogGlobs();
  opt.plan.globs.push_back("etc/**");
  opt.plan.globs.push_back("usr/lib/os-release");
  auto img = image::LoadImage(src, opt);
  EXPECT_TRUE(img.ok()) << src << ": " << img.error().message;
  return std::move(img).value();
}

class RealBuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(DebDir() + "/.complete"))
      GTEST_SKIP() << DebDir() << " missing: run scripts/make-test-images.sh";
  }
  std::string dir_ = distill::testing::TempDir();
};

TEST_F(RealBuildTest, PresetsPassDistrolessStructureTestsAndListExactlyTheirPackages) {
  for (std::string preset : {"static", "base-nossl", "base", "cc", "python3"}) {
    SCOPED_TRACE(preset);
    std::set<std::string> want = DistrolessPackages(preset);
    std::string out = dir_ + "/" + preset;
    Build("--preset " + preset + DebArgs(want) + " -o oci-dir:" + out);
    image::LoadedImage img = LoadAll("oci-dir:" + out);
    CheckStructure(img, "static__debian12.yaml");
    CheckStructure(img, "static__static.yaml");
    if (preset != "static") CheckStructure(img, "base__base.yaml");
    EXPECT_EQ(img.meta.config["config"]["User"], "0");
    auto cat = catalog::CatalogOs(img.files);
    ASSERT_TRUE(cat.ok());
    std::set<std::string> got;
    for (const auto& p : cat->packages) got.insert(p.name);
    EXPECT_EQ(got, want);
    EXPECT_TRUE(cat->unknowns.empty());
    // No junk: the files are the packages' files plus the small generated ones.
    uint64_t image_bytes = 0, package_bytes = 0;
    for (const auto& e : img.files.entries())
      if (e.type == image::FileType::kRegular) image_bytes += e.size;
    for (const auto& e : fs::directory_iterator(DebDir())) {
      std::string f = e.path().filename().string();
      if (!f.ends_with(".deb") || !want.contains(f.substr(0, f.find('_')))) continue;
      Deb deb = ReadDeb(e.path().string()).value();
      for (const auto& it : deb.files) package_bytes += it.data.size();
    }
    package_bytes += img.files.Find("etc/ssl/certs/ca-certificates.crt")->size;
    EXPECT_NEAR(static_cast<double>(image_bytes), static_cast<double>(package_bytes),
                0.05 * package_bytes)
        << image_bytes << " vs " << package_bytes;
    uint64_t compressed = 0;
    for (const auto& l : img.meta.layers) compressed += l.size;
    RecordProperty(preset + "_compressed_bytes", std::to_string(compressed));
    if (preset == "static") EXPECT_LT(compressed, 3u << 20);  // distroless static: ≈2 MiB
  }
}

TEST_F(RealBuildTest, NonrootVariant) {
  std::set<std::string> want = DistrolessPackages("base");
  Build("--preset base --nonroot" + DebArgs(want) + " -o oci-dir:" + dir_ + "/nr");
  image::LoadedImage img = LoadAll("oci-dir:" + dir_ + "/nr");
  EXPECT_EQ(img.meta.config["config"]["User"], "65532");
  EXPECT_EQ(img.meta.config["config"]["WorkingDir"], "/home/nonroot");
  const image::Entry* home = img.files.Find("home/nonroot");
  ASSERT_NE(home, nullptr);
  EXPECT_EQ(home->uid, 65532u);
  EXPECT_EQ(home->mode & 07777, 0700u);
}

TEST_F(RealBuildTest, ReproducibleAcrossDirectoriesAndRuns) {
  std::string args = " --preset base" + DebArgs(DistrolessPackages("base"));
  fs::create_directories(dir_ + "/a/deep/er");
  fs::create_directories(dir_ + "/b");
  std::string d1 = Build(args + " -o oci-archive:out.tar -o oci-dir:layout", dir_ + "/a/deep/er");
  std::string d2 = Build(args + " -o oci-archive:" + dir_ + "/b/other-name.tar", dir_ + "/b");
  EXPECT_EQ(d1.substr(0, 7), "sha256:");
  EXPECT_EQ(d1, d2);
  EXPECT_EQ(ReadFile(dir_ + "/a/deep/er/out.tar").value(),
            ReadFile(dir_ + "/b/other-name.tar").value());
  // SOURCE_DATE_EPOCH sets the times, and so the digest.
  int rc = 0;
  std::string d3 = Shell("SOURCE_DATE_EPOCH=86400 " + std::string(DISTILL_BINARY) + " build -q" +
                             args + " -o oci-dir:" + dir_ + "/c",
                         &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_NE(d3.substr(0, 71), d1);
  EXPECT_EQ(LoadAll("oci-dir:" + dir_ + "/c").meta.config["created"], "1970-01-02T00:00:00Z");
}

TEST_F(RealBuildTest, SbomAtBuildEqualsDistillSbom) {
  std::string out = dir_ + "/py";
  Build("--preset python3" + DebArgs(DistrolessPackages("python3")) + " -o oci-dir:" + out);
  for (std::string fmt_ext : {"spdx-json=spdx.json", "cyclonedx-json=cdx.json"}) {
    std::string format = fmt_ext.substr(0, fmt_ext.find('='));
    std::string ext = fmt_ext.substr(fmt_ext.find('=') + 1);
    int rc = 0;
    std::string scanned =
        Shell(std::string(DISTILL_BINARY) + " sbom -q -o " + format + " oci-dir:" + out, &rc);
    ASSERT_EQ(rc, 0);
    auto at_build = nlohmann::json::parse(ReadFile(out + "." + ext).value());
    auto later = nlohmann::json::parse(scanned);
    const char* key = format == "spdx-json" ? "packages" : "components";
    EXPECT_EQ(at_build[key], later[key]) << format;
    EXPECT_GT(at_build[key].size(), 30u);
  }
}

// The descriptors of an OCI layout's referrers: the image index that index.json's annotation names.
nlohmann::json Referrers(const std::string& layout) {
  auto index = nlohmann::json::parse(ReadFile(layout + "/index.json").value());
  if (!index.contains("annotations") || !index["annotations"].contains(image::kReferrersAnnotation))
    return {};
  std::string digest = index["annotations"][image::kReferrersAnnotation];
  auto referrers =
      nlohmann::json::parse(ReadFile(layout + "/blobs/sha256/" + digest.substr(7)).value());
  EXPECT_EQ(referrers["mediaType"], "application/vnd.oci.image.index.v1+json");
  return referrers["manifests"];
}

// The SBOMs are also in the layout, as OCI 1.1 referrers of the image manifest (listed in an index
// of their own, as a registry's referrers API answers), the same packages as the files beside it;
// distill, umoci and skopeo still read the image, and skopeo (Go's gzip) and umoci unpack its
// multi-member gzip layers.
TEST_F(RealBuildTest, SbomReferrersInLayout) {
  std::string out = dir_ + "/ref", tar = dir_ + "/ref.tar";
  std::string digest = Build("--preset base" + DebArgs(DistrolessPackages("base")) +
                             " --tag distill/base:1 -o oci-dir:" + out + " -o oci-archive:" + tar);
  auto index = nlohmann::json::parse(ReadFile(out + "/index.json").value());
  ASSERT_EQ(index["manifests"].size(), 1u);  // the image only: podman takes it without a REF
  std::map<std::string, nlohmann::json> by_type;
  for (const auto& d : Referrers(out))
    if (d.contains("artifactType")) by_type[d["artifactType"]] = d;
  ASSERT_EQ(by_type.size(), 2u);
  auto blob = [&](const std::string& dgst) {
    return ReadFile(out + "/blobs/sha256/" + dgst.substr(7)).value();
  };
  for (const auto& [type, ext] : std::vector<std::pair<std::string, std::string>>{
           {"application/spdx+json", "spdx.json"},
           {"application/vnd.cyclonedx+json", "cdx.json"}}) {
    SCOPED_TRACE(type);
    ASSERT_TRUE(by_type.contains(type));
    auto m = nlohmann::json::parse(blob(by_type[type]["digest"]));
    EXPECT_EQ(m["artifactType"], type);
    EXPECT_EQ(m["subject"]["digest"], digest);
    EXPECT_EQ(m["config"]["mediaType"], "application/vnd.oci.empty.v1+json");
    ASSERT_EQ(m["layers"].size(), 1u);
    EXPECT_EQ(m["layers"][0]["mediaType"], type);
    auto attached = nlohmann::json::parse(blob(m["layers"][0]["digest"]));
    auto beside = nlohmann::json::parse(ReadFile(out + "." + ext).value());
    if (ext == "cdx.json") {
      EXPECT_EQ(attached["components"], beside["components"]);
    } else {
      std::set<std::string> a, b;
      for (const auto& p : attached["packages"])
        a.insert(p["name"].get<std::string>() + " " + p.value("versionInfo", ""));
      for (const auto& p : beside["packages"])
        b.insert(p["name"].get<std::string>() + " " + p.value("versionInfo", ""));
      EXPECT_GT(a.size(), 5u);
      EXPECT_EQ(a.size(), b.size());
      EXPECT_EQ(attached["name"], "distill/base:1");
    }
  }
  // The archive holds the same index (the same referrers).
  EXPECT_EQ(Shell("tar -xOf " + tar + " index.json"), ReadFile(out + "/index.json").value());
  // distill: no tag needed, the artifacts are not images.
  int rc = 0;
  std::string listed = Shell(std::string(DISTILL_BINARY) + " sbom -q oci-dir:" + out, &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_THAT(listed, ::testing::HasSubstr("libssl3"));
  EXPECT_EQ(LoadAll("oci-archive:" + tar).meta.manifest_digest, digest);
  // umoci lists only the image and unpacks it.
  EXPECT_EQ(Shell("umoci ls --layout " + out, &rc), "distill/base:1\n");
  Shell("umoci unpack --image " + out + ":distill/base:1 " + dir_ + "/bundle 2>&1", &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_TRUE(fs::exists(dir_ + "/bundle/rootfs/usr/lib/x86_64-linux-gnu/libssl.so.3"));
  // skopeo: inflates every layer into a docker-archive, which must match the config's diff_ids.
  std::string err = Shell(
      "skopeo copy -q oci:" + out + ":distill/base:1 docker-archive:" + dir_ + "/d.tar 2>&1", &rc);
  ASSERT_EQ(rc, 0) << err;
  image::LoadedImage d = LoadAll("docker-archive:" + dir_ + "/d.tar");
  EXPECT_EQ(d.meta.config["rootfs"], LoadAll("oci-dir:" + out).meta.config["rootfs"]);
  // And skopeo copies the layout with the referrers in it (it reads the image by tag).
  err = Shell(
      "skopeo copy -q oci-archive:" + tar + ":distill/base:1 oci:" + dir_ + "/copied:x 2>&1", &rc);
  EXPECT_EQ(rc, 0) << err;
}

// --push: the image, then its SBOM referrers; the registry here (distribution 2.8) has no referrers
// API, so they are listed under the fallback tag sha256-<hex>, and a second push adds nothing
// twice.
TEST_F(RealBuildTest, PushWithSbomReferrers) {
  std::string err;
  auto reg = distill::testing::RegistryServer::Start({}, &err);
  ASSERT_NE(reg, nullptr) << err;
  std::string env = "DOCKER_CONFIG=" + dir_ + " DISTILL_CACHE=" + dir_ + "/cache ";
  std::string args = "--preset static" + DebArgs(DistrolessPackages("static")) +
                     " --tag s:1 --push " + reg->host() + "/distroless/static:1";
  int rc = 0;
  std::string cmd =
      env + DISTILL_BINARY + " --insecure-registry " + reg->host() + " build -q " + args;
  std::string digest = Shell(cmd + " 2>&1", &rc);  // no -o: through a temporary layout
  ASSERT_EQ(rc, 0) << digest;
  digest.pop_back();
  EXPECT_EQ(Shell(cmd + " -o oci-archive:" + dir_ + "/s.tar 2>/dev/null", &rc), digest + "\n");
  EXPECT_EQ(rc, 0);
  Shell(cmd + " -o oci-dir:" + dir_ + "/again 2>&1", &rc);  // through an oci-dir this time
  ASSERT_EQ(rc, 0);
  auto get = [&](const std::string& path) {
    return Shell(
        "curl -sf -H 'Accept: application/vnd.oci.image.index.v1+json' -H "
        "'Accept: application/vnd.oci.image.manifest.v1+json' http://" +
        reg->host() + "/v2/distroless/static/" + path);
  };
  auto tagged = nlohmann::json::parse(get("manifests/1"));
  EXPECT_EQ(
      "sha256:" + Shell("curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' http://" +
                        reg->host() + "/v2/distroless/static/manifests/1 | sha256sum")
                      .substr(0, 64),
      digest);
  auto fallback = nlohmann::json::parse(get("manifests/sha256-" + digest.substr(7)));
  EXPECT_EQ(fallback["mediaType"], "application/vnd.oci.image.index.v1+json");
  ASSERT_EQ(fallback["manifests"].size(), 2u) << fallback.dump();
  std::set<std::string> types;
  for (const auto& d : fallback["manifests"]) {
    types.insert(d["artifactType"].get<std::string>());
    auto m = nlohmann::json::parse(get("manifests/" + d["digest"].get<std::string>()));
    EXPECT_EQ(m["subject"]["digest"], digest);
    auto sbom = nlohmann::json::parse(get("blobs/" + m["layers"][0]["digest"].get<std::string>()));
    EXPECT_TRUE(sbom.contains("spdxVersion") || sbom.contains("bomFormat"));
  }
  EXPECT_EQ(types,
            (std::set<std::string>{"application/spdx+json", "application/vnd.cyclonedx+json"}));
  // The pushed image reads back.
  std::string listed = Shell(env + DISTILL_BINARY + " --insecure-registry " + reg->host() +
                                 " sbom -q registry:" + reg->host() + "/distroless/static:1",
                             &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_THAT(listed, ::testing::HasSubstr("tzdata"));
}

TEST_F(RealBuildTest, DockerArchiveLoadsWithSkopeoAndPodman) {
  std::string tar = dir_ + "/base.docker.tar";
  std::string digest = Build("--preset base" + DebArgs(DistrolessPackages("base")) +
                             " --no-sbom -o docker-archive:" + tar + " -o oci-dir:" + dir_ +
                             "/ours --tag distill/base:test");
  int rc = 0;
  Shell("skopeo copy -q docker-archive:" + tar + " oci:" + dir_ + "/copied:x 2>&1", &rc);
  ASSERT_EQ(rc, 0);
  image::LoadedImage ours = LoadAll("oci-dir:" + dir_ + "/ours");
  image::LoadedImage copied = LoadAll("oci-dir:" + dir_ + "/copied:x");
  image::LoadedImage docker = LoadAll("docker-archive:" + tar);
  EXPECT_EQ(ours.meta.config["rootfs"], copied.meta.config["rootfs"]);
  EXPECT_EQ(docker.meta.config_digest, ours.meta.config_digest);
  EXPECT_EQ(docker.meta.tags, std::vector<std::string>{"distill/base:test"});
  EXPECT_EQ(ours.files.size(), copied.files.size());

  // podman load (containers/image, as docker load reads the same format): the image it stores has
  // our config digest as its id, under our tag.
  std::string store =
      " --root " + dir_ + "/podman --runroot " + dir_ + "/podman-run --storage-driver vfs ";
  std::string out = Shell("podman" + store + "load -i " + tar + " 2>&1", &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_THAT(out, ::testing::ContainsRegex("Loaded image: [a-z.]+/distill/base:test"));
  std::string id =
      Shell("podman" + store + "image inspect --format '{{.Id}}' distill/base:test 2>&1", &rc);
  ASSERT_EQ(rc, 0) << id;
  EXPECT_EQ("sha256:" + id, docker.meta.config_digest + "\n");
  Shell("podman" + store + "rmi -a -f >/dev/null 2>&1; rm -rf " + dir_ + "/podman " + dir_ +
            "/podman-run",
        &rc);
}

TEST_F(RealBuildTest, ImagesRun) {
  // static: a statically linked hello, added by a spec's files.
  ASSERT_TRUE(WriteFileAtomic(dir_ + "/hello.c",
                              "#include <stdio.h>\nint main(){puts(\"hello static\");return 0;}\n")
                  .ok());
  int rc = 0;
  Shell("gcc -static -O2 -o " + dir_ + "/hello " + dir_ + "/hello.c", &rc);
  ASSERT_EQ(rc, 0);
  ASSERT_TRUE(WriteFileAtomic(dir_ + "/static.yaml", R"(# static + a static hello
packages: [base-files, media-types, netbase, tzdata]
resolve: false
ca-bundle: true
files:
  - {src: hello, dst: /hello, mode: "0755"}
entrypoint: [/hello]
)")
                  .ok());
  Build(dir_ + "/static.yaml" + DebArgs(DistrolessPackages("static")) + " -o oci-dir:" + dir_ +
        "/oci --tag static");
  EXPECT_EQ(RunIn(dir_ + "/oci:static", dir_ + "/b1", {"/hello"}, &rc), "hello static\n");

  // cc: a dynamically linked C++ hello on the cc preset's packages (libstdc++6, libgcc-s1, libc6),
  // nonroot.
  ASSERT_TRUE(
      WriteFileAtomic(dir_ + "/hello.cc",
                      "#include <iostream>\n#include <string>\n#include <unistd.h>\n"
                      "int main(){std::cout<<std::string(\"hello c++ \")<<getuid()<<std::endl;}\n")
          .ok());
  Shell("g++ -O2 -o " + dir_ + "/hellocc " + dir_ + "/hello.cc", &rc);
  ASSERT_EQ(rc, 0);
  EXPECT_THAT(Shell("readelf -d " + dir_ + "/hellocc"), ::testing::HasSubstr("libstdc++.so.6"));
  std::set<std::string> cc = DistrolessPackages("cc");
  std::string yaml = "# cc + a dynamic C++ hello\npackages: [";
  for (const auto& p : cc) yaml += p + ", ";
  yaml.resize(yaml.size() - 2);
  yaml +=
      "]\nresolve: false\nca-bundle: true\naccounts: {run-as: nonroot}\n"
      "files:\n  - {src: hellocc, dst: /hello, mode: \"0755\"}\nentrypoint: [/hello]\n";
  ASSERT_TRUE(WriteFileAtomic(dir_ + "/cc.yaml", yaml).ok());
  Build(dir_ + "/cc.yaml" + DebArgs(cc) + " --no-sbom -o oci-dir:" + dir_ + "/oci --tag cc");
  EXPECT_EQ(RunIn(dir_ + "/oci:cc", dir_ + "/b3", {"/hello"}, &rc), "hello c++ 65532\n");

  Build("--preset python3 --nonroot" + DebArgs(DistrolessPackages("python3")) +
        " -o oci-dir:" + dir_ + "/oci --tag py --no-sbom");
  std::string out =
      RunIn(dir_ + "/oci:py", dir_ + "/b2",
            {"/usr/bin/python3", "-c",
             "import ssl, json, os; print(ssl.OPENSSL_VERSION); print(os.getuid(), os.getgid())"},
            &rc);
  EXPECT_THAT(out, ::testing::MatchesRegex("OpenSSL 3\\.0\\.[0-9]+ .*\n65532 65532\n"));
  // The base preset as root: its only program is glibc's dynamic loader.
  Build("--preset base" + DebArgs(DistrolessPackages("base")) + " -o oci-dir:" + dir_ +
        "/oci --tag base --no-sbom");
  EXPECT_THAT(
      RunIn(dir_ + "/oci:base", dir_ + "/b4", {"/lib64/ld-linux-x86-64.so.2", "--version"}, &rc),
      ::testing::StartsWith("ld.so (Debian GLIBC 2.36"));
}

// distill as a distroless image (packaging/distill.yaml), with distill installed from the Debian
// package scripts/package.sh makes of this build, the rest from the host's apt sources: `distill
// audit` of it says distroless, and under crun it writes the SBOM of an image directory mounted
// into it, as the nonroot user.
TEST_F(RealBuildTest, DistillItselfAsADistrolessImage) {
  const std::string source = DISTILL_SOURCE_DIR,
                    build_dir = fs::path(DISTILL_BINARY).parent_path().string();
  std::string spec = ReadFile(source + "/packaging/distill.yaml").value();
  const std::string repo = "file:../build/apt-repo";
  ASSERT_NE(spec.find(repo), std::string::npos)
      << "packaging/distill.yaml no longer names " << repo;
  int rc = 0;
  std::string deb = Shell(source + "/scripts/package.sh " + build_dir + " " + dir_ + " 2>&1", &rc);
  ASSERT_EQ(rc, 0) << deb;
  spec.replace(spec.find(repo), repo.size(), "file:" + dir_ + "/apt-repo");
  ASSERT_TRUE(WriteFileAtomic(dir_ + "/distill.yaml", spec).ok());
  Build(dir_ + "/distill.yaml --allow-unsigned --cache " + dir_ + "/cache -o oci-dir:" + dir_ +
        "/oci --tag distill");

  std::string audit =
      Shell(std::string(DISTILL_BINARY) + " audit -o json oci-dir:" + dir_ + "/oci:distill", &rc);
  auto verdict = nlohmann::json::parse(audit);
  EXPECT_EQ(verdict["distroless"], true) << audit;

  std::string statusd = DebDir() + "/../rootfs-statusd";
  std::string out = RunIn(dir_ + "/oci:distill", dir_ + "/bundle",
                          {"/usr/bin/distill", "sbom", "-o", "distill-json", "dir:/image"}, &rc,
                          {{statusd, "/image"}});
  ASSERT_EQ(rc, 0);
  auto sbom = nlohmann::json::parse(out);
  std::set<std::string> names;
  for (const auto& p : sbom["packages"]) names.insert(p["name"].get<std::string>());
  for (const char* pkg : {"base-files", "libc6", "tzdata"})
    EXPECT_TRUE(names.contains(pkg)) << pkg << " in " << out.substr(0, 400);
  // The image's own SBOM (beside the output) lists distill as the Debian package it came from.
  EXPECT_THAT(ReadFile(dir_ + "/oci.spdx.json").value(),
              ::testing::HasSubstr("pkg:deb/debian/distill@"));
  EXPECT_EQ(RunIn(dir_ + "/oci:distill", dir_ + "/bundle2", {"/usr/bin/distill", "--version"}, &rc)
                .substr(0, 8),
            "distill ");
}

// Through the host's apt sources: --plan, a lock file, then an offline rebuild from the cache gives
// the same digest, and so does the same set of .debs given with --deb.
TEST_F(RealBuildTest, FromHostAptSourcesWithLockAndOfflineRebuild) {
  std::string cache = dir_ + "/cache", lock = dir_ + "/distill.lock";
  int rc = 0;
  std::string plan =
      Shell(std::string(DISTILL_BINARY) + " build -q --preset base --plan --cache " + cache, &rc);
  ASSERT_EQ(rc, 0);
  EXPECT_THAT(plan, ::testing::HasSubstr("libssl3 "));
  EXPECT_THAT(plan, ::testing::HasSubstr("ca-certificates\t(CA bundle only, not installed)"));
  std::string d1 = Build("--preset base --no-sbom --cache " + cache + " --lock " + lock +
                         " -o oci-dir:" + dir_ + "/a");
  ASSERT_TRUE(fs::exists(lock));
  std::string d2 = Build("--preset base --no-sbom --offline --cache " + cache + " --lock " + lock +
                         " -o oci-dir:" + dir_ + "/b");
  EXPECT_EQ(d1, d2);
  // The lock names exactly the files the cache holds: building from them directly is the same
  // image.
  std::string debs;
  for (const auto& e : fs::recursive_directory_iterator(cache + "/blobs"))
    if (e.is_regular_file() && IsDeb(e.path().string())) debs += " --deb " + e.path().string();
  EXPECT_EQ(Build("--preset base --no-sbom" + debs + " -o oci-dir:" + dir_ + "/c"), d1);
  // Those went through the unpack cache (CACHE/unpacked); the same files elsewhere do not.
  EXPECT_TRUE(fs::exists(cache + "/unpacked"));
  fs::create_directories(dir_ + "/plain");
  std::string plain;
  for (const auto& e : fs::recursive_directory_iterator(cache + "/blobs"))
    if (e.is_regular_file() && IsDeb(e.path().string())) {
      fs::copy_file(e.path(), dir_ + "/plain/" + e.path().filename().string() + ".deb");
      plain += " --deb " + dir_ + "/plain/" + e.path().filename().string() + ".deb";
    }
  EXPECT_EQ(Build("--preset base --no-sbom" + plain + " -o oci-dir:" + dir_ + "/d"), d1);
}

// With its SBOM referrers in the layout, tagged or not, every OCI-reading tool takes the output:
// skopeo and umoci by its REF ("latest" when untagged), podman by the layout alone (podman pull
// oci:DIR, podman load -i of the archive): containers/image takes an index.json without a REF only
// when it lists one manifest, which the referrers listed beside the image once made three.
TEST_F(RealBuildTest, OciOutputsLoadInSkopeoUmociAndPodman) {
  std::string debs = DebArgs(DistrolessPackages("static"));
  // podman names an image pulled as oci:DIR after DIR, which must then be lowercase: the temporary
  // directory's random part is not.
  const std::string lower = fmt::format("/tmp/distill-oci-test-{}", ::getpid());
  fs::remove_all(lower);
  fs::create_directories(lower);
  struct Cleanup {
    std::string dir;
    ~Cleanup() { fs::remove_all(dir); }
  } cleanup{lower};
  for (std::string tag : {"", "distill/static:1"}) {
    SCOPED_TRACE(tag.empty() ? "untagged" : tag);
    std::string out = lower + "/" + (tag.empty() ? "untagged" : "tagged"), tar = out + ".tar";
    Build("--preset static" + debs + (tag.empty() ? "" : " --tag " + tag) + " -o oci-dir:" + out +
          " -o oci-archive:" + tar);
    ASSERT_EQ(Referrers(out).size(), 2u);
    std::string config = LoadAll("oci-dir:" + out).meta.config_digest;
    std::string ref = tag.empty() ? "latest" : tag;
    int rc = 0;
    std::string log = Shell(
        "skopeo copy -q oci:" + out + ":" + ref + " docker-archive:" + out + ".docker.tar 2>&1",
        &rc);
    EXPECT_EQ(rc, 0) << log;
    EXPECT_EQ(LoadAll("docker-archive:" + out + ".docker.tar").meta.config_digest, config);
    log = Shell("umoci unpack --image " + out + ":" + ref + " " + out + ".bundle 2>&1", &rc);
    EXPECT_EQ(rc, 0) << log;
    EXPECT_TRUE(fs::exists(out + ".bundle/rootfs/etc/passwd"));
    for (std::string how : {"pull -q oci:" + out, "load -q -i " + tar}) {
      std::string store =
          " --root " + out + ".podman --runroot " + out + ".podman-run --storage-driver vfs ";
      log = Shell("podman" + store + how + " 2>&1", &rc);
      EXPECT_EQ(rc, 0) << "podman " << how << ": " << log;
      // The image podman stored is ours: its id is our config's digest.
      EXPECT_THAT(Shell("podman" + store + "images -q --no-trunc 2>&1"),
                  ::testing::HasSubstr(config))
          << how;
      Shell("podman" + store + "rmi -a -f >/dev/null 2>&1; rm -rf " + out + ".podman " + out +
            ".podman-run");
    }
  }
}

// -o podman:NAME / docker:NAME load the image into the engine through its API (POST /images/load):
// podman's service here, which docker: reaches through DOCKER_HOST (no dockerd is installed). The
// engine stores our image (its id is our config digest) under NAME, and it reads back with distill.
TEST_F(RealBuildTest, LoadsIntoPodmanAndDockerEngines) {
  std::string err;
  auto podman = distill::testing::PodmanService::Start(&err);
  ASSERT_NE(podman, nullptr) << err;
  std::string env =
      "CONTAINER_HOST=unix://" + podman->socket() + " DOCKER_HOST=unix://" + podman->socket() + " ";
  std::string debs = DebArgs(DistrolessPackages("static"));
  int rc = 0;
  // Without the engines' addresses: refused before anything is built or written.
  Build("--preset static" + debs + " --no-sbom -o oci-dir:" + dir_ +
            "/static -o podman:distill/static:1",
        "", &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_FALSE(fs::exists(dir_ + "/static"));
  std::string cmd = env + DISTILL_BINARY + " build -q --preset static" + debs +
                    " -o oci-dir:" + dir_ +
                    "/static -o podman:distill/static:1 -o docker:distill/static:2";
  std::string out = Shell(cmd + " 2>&1", &rc);
  ASSERT_EQ(rc, 0) << out;
  std::string config = LoadAll("oci-dir:" + dir_ + "/static").meta.config_digest;
  for (std::string name : {"distill/static:1", "distill/static:2"}) {
    std::string id =
        Shell(podman->Cli() + " image inspect --format '{{.Id}}' " + name + " 2>&1", &rc);
    EXPECT_EQ(rc, 0) << id;
    EXPECT_EQ("sha256:" + id, config + "\n") << name;
  }
  auto back = Shell(env + DISTILL_BINARY + " inspect -q -o json podman:distill/static:1", &rc);
  ASSERT_EQ(rc, 0) << back;
  EXPECT_EQ(nlohmann::json::parse(back)["config_digest"], config);
  // And into a real dockerd (Debian's docker.io), as `docker load` would.
  auto dockerd = distill::testing::DockerdService::Start(&err);
  ASSERT_NE(dockerd, nullptr) << err;
  out = Shell("DOCKER_HOST=unix://" + dockerd->socket() + " " + DISTILL_BINARY +
                  " build -q --preset static" + debs + " --no-sbom -o docker:app 2>&1",
              &rc);
  ASSERT_EQ(rc, 0) << out;
  std::string id = Shell("/usr/bin/docker -H unix://" + dockerd->socket() +
                             " image inspect --format '{{.Id}}' app:latest 2>&1",
                         &rc);
  EXPECT_EQ(rc, 0) << id;
  EXPECT_EQ(id, config + "\n");
  // An engine that is not there: exit 2, naming the socket and the image.
  out = Shell("DOCKER_HOST=unix://" + dir_ + "/none.sock " + DISTILL_BINARY +
                  " build -q --preset static" + debs + " --no-sbom -o docker:app 2>&1",
              &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_THAT(out, ::testing::HasSubstr("docker (" + dir_ + "/none.sock): app: no such socket"));
}

// Two architectures: one image index, each platform readable, one SBOM pair per architecture.
TEST_F(RealBuildTest, MultiArchIndex) {
  std::string out = dir_ + "/multi";
  std::string digest =
      Build("--preset static --arch amd64 --arch arm64 -o oci-dir:" + out + " --tag multi");
  auto index = nlohmann::json::parse(ReadFile(out + "/index.json").value());
  EXPECT_EQ(index["manifests"][0]["digest"], digest);
  EXPECT_EQ(index["manifests"][0]["mediaType"], "application/vnd.oci.image.index.v1+json");
  for (std::string arch : {"amd64", "arm64"}) {
    image::LoadOptions opt;
    opt.platform = {"linux", arch, ""};
    auto img = image::LoadImage("oci-dir:" + out, opt);
    ASSERT_TRUE(img.ok()) << img.error().message;
    EXPECT_EQ(img->meta.platform.arch, arch);
    EXPECT_EQ(img->meta.index_digest, digest);
    EXPECT_TRUE(fs::exists(out + "." + arch + ".spdx.json"));
  }
  // Each platform's manifest has its two SBOM referrers.
  std::multiset<std::string> subjects;
  for (const auto& d : Referrers(out)) {
    if (!d.contains("artifactType")) continue;
    auto m = nlohmann::json::parse(
        ReadFile(out + "/blobs/sha256/" + d["digest"].get<std::string>().substr(7)).value());
    subjects.insert(m["subject"]["digest"].get<std::string>());
  }
  auto top = nlohmann::json::parse(ReadFile(out + "/blobs/sha256/" + digest.substr(7)).value());
  ASSERT_EQ(top["manifests"].size(), 2u);
  for (const auto& m : top["manifests"])
    EXPECT_EQ(subjects.count(m["digest"].get<std::string>()), 2u);
  EXPECT_EQ(subjects.size(), 4u);
}

TEST_F(RealBuildTest, BadInputIsRefused) {
  int rc = 0;
  std::string err = Shell(
      std::string(DISTILL_BINARY) + " build --preset nope -o oci-dir:" + dir_ + "/x 2>&1", &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_THAT(err, ::testing::HasSubstr(
                       "unknown preset 'nope' (known: static, base-nossl, base, cc, python3)"));
  ASSERT_TRUE(WriteFileAtomic(dir_ + "/bad.yaml", "packages: [a]\nlayers: many\n").ok());
  err = Shell(std::string(DISTILL_BINARY) + " build " + dir_ +
                  "/bad.yaml --deb /dev/null -o oci-dir:" + dir_ + "/x 2>&1",
              &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_THAT(err, ::testing::HasSubstr("bad.yaml:2:9: field \"layers\""));
  EXPECT_FALSE(fs::exists(dir_ + "/x"));
}

}  // namespace
}  // namespace distill::imagebuild
