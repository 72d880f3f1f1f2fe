// db push / db pull against a real CNCF distribution registry (docker-registry) on 127.0.0.1,
// anonymous over HTTP and with htpasswd Basic auth over TLS, with skopeo and zstd(1) as the peers
// that read what distill pushed; bad artifacts (an image, another artifact type, a newer schema, a
// blob corrupted in the registry's storage) and a pull killed half-way each leave the installed
// database byte for byte as it was.
#include "vuln/db/artifact.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "image/registry/push.h"
#include "testing/image_builder.h"
#include "testing/registry_server.h"
#include "testing/shell.h"
#include "util/digest.h"
#include "util/file.h"
#include "vuln/db/compress.h"
#include "vuln/db/database.h"
#include "vuln/db/lock.h"
#include "vuln/db/writer.h"

namespace distill::vuln::db {
namespace {

namespace fs = std::filesystem;
using distill::testing::RegistryServer;
using distill::testing::Shell;
using nlohmann::json;

std::string Images() {
  const char* env = std::getenv("DISTILL_TEST_IMAGES");
  return env ? env : "/var/cache/distill/test-images";
}

class RealDbArtifactTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir();
    env_ = "DOCKER_CONFIG=" + dir_ + " DISTILL_CACHE=" + dir_ +
           "/cache";  // never the developer's credentials
    src_ = dir_ + "/src.db";
    dst_ = dir_ + "/installed/vuln.db";
  }

  // A database of `n` advisories whose summaries are random text (so it does not compress away).
  Status Build(const std::string& path, const std::string& origin, int n = 50) {
    DISTILL_TRY(auto w, Writer::Create(path, {true, 1700000000}));
    DISTILL_TRY(int64_t src, w->Source("osv", origin));
    std::mt19937 rng(n);
    for (int i = 0; i < n; ++i) {
      Advisory a;
      a.id = "GHSA-" + std::to_string(i);
      a.ecosystem = "pypi";
      a.package = "pkg" + std::to_string(i % 100);
      a.state = FixState::kNotFixed;
      for (int k = 0; k < 200; ++k) a.summary += static_cast<char>('a' + rng() % 26);
      DISTILL_TRY_VOID(w->Add(src, a));
    }
    return w->Commit();
  }

  testing::Ran Distill(const std::string& args) {
    return testing::Run(env_ + " " + DISTILL_BINARY + " " + args);
  }

  // Pushes an OCI layout holding one manifest (and its blobs) to `ref`.
  void PushLayout(const std::string& manifest, const std::vector<std::string>& blobs,
                  const std::string& ref) {
    std::string layout = dir_ + "/layout-" + std::to_string(layouts_++);
    fs::create_directories(layout + "/blobs/sha256");
    std::vector<std::string> all = blobs;
    all.push_back(manifest);
    for (const auto& b : all)
      ASSERT_TRUE(
          WriteFileAtomic(layout + "/blobs/sha256/" + std::string(DigestHex(Sha256Digest(b))), b)
              .ok());
    json index = {
        {"schemaVersion", 2},
        {"manifests", json::array({json{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                        {"digest", Sha256Digest(manifest)},
                                        {"size", manifest.size()}}})}};
    ASSERT_TRUE(WriteFileAtomic(layout + "/index.json", index.dump()).ok());
    image::registry::PushOptions opt;
    auto pushed = image::registry::PushOciLayout(layout, "", ref, opt);
    ASSERT_TRUE(pushed.ok()) << pushed.error().message;
  }

  std::vector<std::string> TempFiles() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(fs::path(dst_).parent_path()))
      if (e.path().filename().string().starts_with("vuln.db.tmp-"))
        out.push_back(e.path().string());
    return out;
  }

  std::string dir_, env_, src_, dst_;
  int layouts_ = 0;
};

std::unique_ptr<RegistryServer> StartOrFail(const RegistryServer::Config& config) {
  std::string err;
  auto r = RegistryServer::Start(config, &err);
  EXPECT_NE(r, nullptr) << err;
  return r;
}

TEST_F(RealDbArtifactTest, PushPullRoundTripReadByPeers) {
  auto reg = StartOrFail({});
  ASSERT_NE(reg, nullptr);
  ASSERT_TRUE(Build(src_, "/feeds/a.json").ok());
  const std::string ref = reg->host() + "/distill/vuln-db:2";
  auto push = Distill("db push --db " + src_ + " " + ref);
  ASSERT_EQ(push.rc, 0) << push.err;
  const std::string digest = push.out.substr(0, push.out.find('\n'));
  EXPECT_TRUE(digest.starts_with("sha256:")) << push.out;
  // Pushing the same database again gives the same manifest (the push is reproducible).
  EXPECT_EQ(Distill("db push -q --db " + src_ + " " + ref).out, push.out);

  // skopeo sees our artifact type, the empty config, one zstd layer of ours and the annotations.
  int rc = 0;
  std::string raw = Shell("skopeo inspect --raw --tls-verify=false docker://" + ref + " 2>&1", &rc);
  ASSERT_EQ(rc, 0) << raw;
  EXPECT_EQ(Sha256Digest(raw), digest);
  auto m = json::parse(raw);
  EXPECT_EQ(m["artifactType"], "application/vnd.distill.vuln-db");
  EXPECT_EQ(m["config"]["mediaType"], "application/vnd.oci.empty.v1+json");
  EXPECT_EQ(m["layers"].size(), 1u);
  EXPECT_EQ(m["layers"][0]["mediaType"], "application/vnd.distill.vuln-db.v2.sqlite+zstd");
  EXPECT_EQ(m["annotations"]["dev.distill.db.schema-version"], "2");
  EXPECT_EQ(m["annotations"]["dev.distill.db.sources-digest"], *SourcesDigest(src_));
  EXPECT_EQ(m["annotations"]["org.opencontainers.image.created"], "2023-11-14T22:13:20Z");
  // ... and copies it; the layer is vuln.db compressed with plain zstd.
  std::string copy = dir_ + "/skopeo-oci";
  std::string out = Shell(
      "skopeo copy -q --src-tls-verify=false docker://" + ref + " oci:" + copy + ":db 2>&1", &rc);
  ASSERT_EQ(rc, 0) << out;
  std::string layer = m["layers"][0]["digest"];
  std::string blob = copy + "/blobs/sha256/" + std::string(DigestHex(layer));
  EXPECT_EQ(Shell("zstd -dcq " + blob + " | sha256sum | cut -c1-64"),
            std::string(DigestHex(Sha256Digest(*ReadFile(src_)))) + "\n");

  // Pulled: the same rows; a second pull of the same artifact downloads nothing.
  auto pull = Distill("db pull --db " + dst_ + " " + ref);
  ASSERT_EQ(pull.rc, 0) << pull.err;
  EXPECT_EQ(pull.out, digest + "\n");
  EXPECT_NE(pull.err.find("pulled " + ref), std::string::npos) << pull.err;
  auto db = Database::Open(dst_);
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_EQ((*db)->Lookup("pypi", "pkg7")->size(), 1u);
  EXPECT_EQ(*(*db)->BuiltAt(), 1700000000);
  pull = Distill("db pull --db " + dst_ + " " + ref);
  ASSERT_EQ(pull.rc, 0) << pull.err;
  EXPECT_NE(pull.err.find("unchanged"), std::string::npos) << pull.err;
  // By digest, and through the library call `db update` and `scan` use.
  std::string other = dir_ + "/other/vuln.db";
  auto r = PullDatabase(reg->host() + "/distill/vuln-db@" + digest, other, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->digest, digest);
  EXPECT_EQ(r->built_at, 1700000000);
  EXPECT_EQ(r->schema_version, 2);
  EXPECT_FALSE(r->unchanged);
  // A new database under the same tag is pulled again.
  ASSERT_TRUE(Build(src_, "/feeds/b.json", 60).ok());
  ASSERT_EQ(Distill("db push -q --db " + src_ + " " + ref).rc, 0);
  pull = Distill("db pull --db " + dst_ + " " + ref);
  ASSERT_EQ(pull.rc, 0) << pull.err;
  EXPECT_EQ(pull.err.find("unchanged"), std::string::npos) << pull.err;
  EXPECT_EQ((*Database::Open(dst_))->Lookup("pypi", "pkg59")->size(), 1u);
}

TEST_F(RealDbArtifactTest, BasicAuthOverTls) {
  auto reg = StartOrFail({.tls = true, .auth = RegistryServer::Auth::kBasic});
  ASSERT_NE(reg, nullptr);
  ASSERT_TRUE(Build(src_, "/feeds/a.json").ok());
  const auto& c = reg->config();
  const std::string ref = reg->host() + "/distill/vuln-db:2";
  const std::string ca = "--ca-cert " + reg->ca_cert() + " ";
  auto push = Distill(ca + "db push --db " + src_ + " " + ref);
  EXPECT_EQ(push.rc, 2);
  EXPECT_NE(push.err.find("authentication required (HTTP 401"), std::string::npos) << push.err;
  auto login = testing::Run("echo " + c.password + " | " + env_ + " " + DISTILL_BINARY + " " + ca +
                            "login -u " + c.user + " --password-stdin " + reg->host());
  ASSERT_EQ(login.rc, 0) << login.err;
  push = Distill(ca + "db push --db " + src_ + " " + ref);
  ASSERT_EQ(push.rc, 0) << push.err;
  auto pull = Distill(ca + "db pull --db " + dst_ + " " + ref);
  ASSERT_EQ(pull.rc, 0) << pull.err;
  EXPECT_EQ(pull.out, push.out);
  EXPECT_EQ((*Database::Open(dst_))->Lookup("pypi", "pkg7")->size(), 1u);
}

TEST_F(RealDbArtifactTest, BadArtifactsKeepTheInstalledDatabase) {
  auto reg = StartOrFail({});
  ASSERT_NE(reg, nullptr);
  ASSERT_TRUE(Build(dst_, "/feeds/old.json").ok());
  ASSERT_TRUE(Build(src_, "/feeds/new.json").ok());
  const std::string before = *ReadFile(dst_);
  const std::string host = reg->host();

  // A container image.
  int rc = 0;
  std::string out = Shell("skopeo copy -q --dest-tls-verify=false oci:" + Images() +
                              "/oci:minbase docker://" + host + "/img:1 2>&1",
                          &rc);
  ASSERT_EQ(rc, 0) << out;
  // Another artifact, and our own with a newer schema.
  const std::string empty = "{}";
  const std::string payload = "payload";
  auto manifest = [&](const std::string& type, const std::string& layer_type,
                      const std::string& schema) {
    json m = json::parse(BuildArtifactManifest({2, 1700000000, "sha256:" + std::string(64, 'e'), 7},
                                               Sha256Digest(payload), payload.size()));
    m["artifactType"] = type;
    m["layers"][0]["mediaType"] = layer_type;
    m["annotations"]["dev.distill.db.schema-version"] = schema;
    return m.dump();
  };
  PushLayout(manifest("application/vnd.example.sbom", "application/spdx+json", "2"),
             {empty, payload}, host + "/other:1");
  PushLayout(manifest("application/vnd.distill.vuln-db",
                      "application/vnd.distill.vuln-db.v3.sqlite+zstd", "3"),
             {empty, payload}, host + "/newer:1");
  // Our artifact, with its blob corrupted in the registry's storage (same length, one byte
  // changed).
  auto push = Distill("db push -q --db " + src_ + " " + host + "/corrupt:1");
  ASSERT_EQ(push.rc, 0) << push.err;
  std::string raw =
      Shell("skopeo inspect --raw --tls-verify=false docker://" + host + "/corrupt:1");
  std::string layer = json::parse(raw)["layers"][0]["digest"];
  std::string hex(DigestHex(layer));
  std::string data = reg->dir() + "/data/docker/registry/v2/blobs/sha256/" + hex.substr(0, 2) +
                     "/" + hex + "/data";
  std::string bytes = *ReadFile(data);
  bytes[bytes.size() / 2] ^= 0x55;
  ASSERT_TRUE(WriteFileAtomic(data, bytes).ok());

  struct Case {
    std::string ref, error;
  };
  for (const Case& c : std::vector<Case>{
           {host + "/img:1",
            host + "/img:1: is a container image, not a distill vulnerability database"},
           {host + "/other:1",
            host + "/other:1: is an artifact of type application/vnd.example.sbom, not a distill "
                   "vulnerability database (application/vnd.distill.vuln-db)"},
           {host + "/newer:1", host + "/newer:1: database schema version 3 is newer than this "
                                      "distill supports (2); update distill"},
           {host + "/corrupt:1", host + "/corrupt:1: layer " + ShortDigest(layer) + ": "},
           {host + "/absent:1", host + "/absent:1: "},
       }) {
    auto pull = Distill("db pull --db " + dst_ + " " + c.ref);
    EXPECT_EQ(pull.rc, 2) << c.ref << "\n" << pull.err;
    EXPECT_NE(pull.err.find("error: " + c.error), std::string::npos) << pull.err;
    EXPECT_EQ(*ReadFile(dst_), before) << c.ref;
    EXPECT_TRUE(TempFiles().empty()) << c.ref;
  }
  auto pull = Distill("db pull --db " + dst_ + " " + host + "/corrupt:1");
  EXPECT_NE(pull.err.find("digest mismatch"), std::string::npos) << pull.err;
}

// A registry that sends the manifest, then half the layer, then nothing: the pull is killed while
// it waits, which leaves the installed database as it was, and the next writer removes the
// temporary file the killed pull left behind.
constexpr const char* kStallingRegistry = R"py(
import http.server, sys, time
manifest = open(sys.argv[2], 'rb').read()
blob = open(sys.argv[3], 'rb').read()
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *a): pass
    def do_GET(self):
        if '/manifests/' in self.path:
            body, ctype = manifest, 'application/vnd.oci.image.manifest.v1+json'
        elif '/blobs/' in self.path:
            self.send_response(200)
            self.send_header('Content-Length', str(len(blob)))
            self.end_headers()
            self.wfile.write(blob[:len(blob) // 2])
            self.wfile.flush()
            time.sleep(120)
            return
        else:
            body, ctype = b'{}', 'application/json'
        self.send_response(200)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
)py";

TEST_F(RealDbArtifactTest, KillDuringPullKeepsTheInstalledDatabase) {
  ASSERT_TRUE(Build(dst_, "/feeds/old.json").ok());
  ASSERT_TRUE(Build(src_, "/feeds/new.json", 20000).ok());
  const std::string before = *ReadFile(dst_);
  // The artifact, made as db push makes it.
  std::string blob;
  auto z = ZstdCompressor::Create([&](const char* data, size_t n) -> Status {
    blob.append(data, n);
    return {};
  });
  ASSERT_TRUE(z.ok());
  ASSERT_TRUE(CompressFile(src_, **z).ok());
  ASSERT_TRUE((*z)->Finish().ok());
  auto d = DescribeDatabase(src_);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ + "/manifest",
                              BuildArtifactManifest(*d, Sha256Digest(blob), blob.size()))
                  .ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ + "/blob", blob).ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ + "/stall.py", kStallingRegistry).ok());
  int port = testing::FreePort();
  std::string server = Shell("python3 " + dir_ + "/stall.py " + std::to_string(port) + " " + dir_ +
                             "/manifest " + dir_ + "/blob >/dev/null 2>&1 & echo $!");
  std::string pid = Shell(env_ + " " + DISTILL_BINARY + " db pull --db " + dst_ + " 127.0.0.1:" +
                          std::to_string(port) + "/db:1 >" + dir_ + "/pull.log 2>&1 & echo $!");
  // Wait until the pull has written part of the database, then kill it.
  bool writing = false;
  for (int i = 0; i < 400 && !writing; ++i) {
    for (const auto& t : TempFiles()) writing = writing || fs::file_size(t) > 0;
    if (!writing) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto trim = [](std::string s) { return s.substr(0, s.find('\n')); };
  Shell("kill -9 " + trim(pid) + " " + trim(server));
  ASSERT_TRUE(writing) << *ReadFile(dir_ + "/pull.log");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(*ReadFile(dst_), before);
  EXPECT_EQ(TempFiles().size(), 1u);
  auto lock = DbLock::Acquire(dst_);  // the next writer
  ASSERT_TRUE(lock.ok()) << lock.error().message;
  EXPECT_TRUE(TempFiles().empty());
  EXPECT_EQ(*ReadFile(dst_), before);
}

}  // namespace
}  // namespace distill::vuln::db
