// docker: and podman: sources and bare references against a real engine: podman's Docker-compatible
// API service (`podman system service`), with the test images loaded by `podman load`. No dockerd
// is installed here, so docker: is tested against the same service through DOCKER_HOST (the
// Docker Engine API is what both speak). What distill reads from the engine must be what it reads
// from the archive the image was loaded from: the same config, layers and packages.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/image_builder.h"
#include "testing/podman_service.h"
#include "testing/shell.h"

namespace distill::image::engine {
namespace {

using distill::testing::PodmanService;
using distill::testing::Ran;
using distill::testing::Shell;
using ::testing::HasSubstr;

std::string Images() {
  const char* env = std::getenv("DISTILL_TEST_IMAGES");
  return env ? env : "/var/cache/distill/test-images";
}

class RealEngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string err;
    service_ = PodmanService::Start(&err).release();
    if (!service_) {
      start_error_ = new std::string(err);
      return;
    }
    for (const char* name : {"minbase", "pyflask"}) {
      std::string out;
      if (!service_->Load(Images() + "/" + name + ".docker.tar", &out))
        start_error_ = new std::string(out);
    }
  }
  static void TearDownTestSuite() {
    delete service_;
    service_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(Shell("test -f " + Images() + "/minbase.docker.tar && echo y") == "y\n")
        << "no test images: run scripts/make-test-images.sh";
    ASSERT_EQ(start_error_, nullptr) << *start_error_;
    dir_ = testing::TempDir();
    // docker: through podman's socket; podman: found by CONTAINER_HOST; no host credentials.
    podman_env_ = "DOCKER_CONFIG=" + dir_ + " DOCKER_HOST=unix://" + dir_ +
                  "/no-docker.sock CONTAINER_HOST=unix://" + service_->socket();
    docker_env_ = "DOCKER_CONFIG=" + dir_ + " DOCKER_HOST=unix://" + service_->socket() +
                  " CONTAINER_HOST=unix://" + dir_ + "/no-podman.sock";
  }
  Ran Distill(const std::string& args, const std::string& env) {
    return testing::Run(env + " " + std::string(DISTILL_BINARY) + " " + args);
  }
  nlohmann::json Json(const std::string& args, const std::string& env) {
    Ran r = Distill(args, env);
    EXPECT_EQ(r.rc, 0) << args << "\n" << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    return j.is_discarded() ? nlohmann::json::object() : j;
  }
  static nlohmann::json Layers(nlohmann::json inspect) {
    for (auto& l : inspect["layers"]) l.erase("media_type");  // (the formats name it differently)
    return inspect["layers"];
  }
  static std::set<std::string> Packages(const nlohmann::json& sbom) {
    std::set<std::string> s;
    for (const auto& p : sbom["packages"])
      s.insert(p["name"].get<std::string>() + " " + p["version"].get<std::string>());
    return s;
  }

  static PodmanService* service_;
  static std::string* start_error_;
  std::string dir_, podman_env_, docker_env_;
};
PodmanService* RealEngineTest::service_ = nullptr;
std::string* RealEngineTest::start_error_ = nullptr;

TEST_F(RealEngineTest, PodmanAndDockerSchemesReadWhatTheArchiveHolds) {
  for (const char* name : {"minbase", "pyflask"}) {
    SCOPED_TRACE(name);
    std::string archive = "docker-archive:" + Images() + "/" + name + ".docker.tar";
    std::string ref = std::string("test/") + name;
    auto want = Json("inspect -q -o json " + archive, podman_env_);
    auto podman = Json("inspect -q -o json podman:" + ref, podman_env_);
    auto docker = Json("inspect -q -o json docker:" + ref, docker_env_);
    EXPECT_EQ(podman["type"], "podman");
    EXPECT_EQ(docker["type"], "docker");
    EXPECT_EQ(podman["config_digest"], want["config_digest"]);
    EXPECT_EQ(docker["config_digest"], want["config_digest"]);
    EXPECT_EQ(Layers(podman), Layers(want));
    EXPECT_EQ(Layers(docker), Layers(want));
    EXPECT_EQ(podman["totals"]["files"], want["totals"]["files"]);
    EXPECT_THAT(podman["tags"].dump(), HasSubstr("test/" + std::string(name)));
  }
  auto want = Packages(Json(
      "sbom -q -o distill-json docker-archive:" + Images() + "/pyflask.docker.tar", podman_env_));
  EXPECT_GT(want.size(), 50u);
  EXPECT_EQ(Packages(Json("sbom -q -o distill-json podman:test/pyflask", podman_env_)), want);
  EXPECT_EQ(
      Packages(Json("sbom -q -o distill-json docker:docker.io/test/pyflask:latest", docker_env_)),
      want);
}

TEST_F(RealEngineTest, BareReferencesAreLookedUpDockerThenPodmanThenRegistry) {
  // No docker socket: found in podman.
  auto j = Json("inspect -q -o json test/minbase", podman_env_);
  EXPECT_EQ(j["type"], "podman");
  // Docker's socket answers (here: the same service) and is asked first.
  j = Json("inspect -q -o json test/minbase:latest",
           docker_env_ + " CONTAINER_HOST=unix://" + service_->socket());
  EXPECT_EQ(j["type"], "docker");
  // --from forces one source.
  j = Json("--from podman inspect -q -o json test/minbase",
           docker_env_ + " CONTAINER_HOST=unix://" + service_->socket());
  EXPECT_EQ(j["type"], "podman");
  Ran r = Distill("--from podman inspect -q test/minbase", docker_env_);
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "error: podman (" + dir_ +
                       "/no-podman.sock): test/minbase: no such socket (is the podman service "
                       "running? start it with `podman system service`)\n");
  // Nowhere: one error naming each place and why.
  r = Distill("inspect -q 127.0.0.1:1/nothing/here:1", podman_env_);
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err,
              HasSubstr("error: 127.0.0.1:1/nothing/here:1: no such image; looked in:\n"
                        "  file: 127.0.0.1:1/nothing/here:1: no such file or directory\n"
                        "  docker (" +
                        dir_ + "/no-docker.sock): 127.0.0.1:1/nothing/here:1: no such socket"));
  EXPECT_THAT(r.err, HasSubstr("\n  podman (" + service_->socket() +
                               "): 127.0.0.1:1/nothing/here:1: no such image ("));
  EXPECT_THAT(r.err, HasSubstr("\n  registry (127.0.0.1:1/nothing/here:1): "));
}

TEST_F(RealEngineTest, EveryCommandThatTakesAnImageTakesEngineSources) {
  EXPECT_EQ(Distill("ls -q podman:test/minbase etc/os-release", podman_env_).rc, 0);
  EXPECT_EQ(Distill("sbom -q -o table docker:test/minbase", docker_env_).rc, 0);
  Ran audit = Distill("audit -q -o json podman:test/minbase", podman_env_);
  EXPECT_TRUE(audit.rc == 0 || audit.rc == 1) << audit.err;
  EXPECT_NE(audit.out.find("\"score\""), std::string::npos) << audit.out;
  Ran compare = Distill("compare -q -o json podman:test/minbase test/pyflask", podman_env_);
  EXPECT_EQ(compare.rc, 0) << compare.err;
  std::string db = dir_ + "/vuln.db";
  ASSERT_EQ(Distill("db import --db " + db + " " + std::string(DISTILL_SOURCE_DIR) +
                        "/tests/fixtures/vuln/osv",
                    "")
                .rc,
            0);
  Ran scan = Distill("scan -q --db " + db + " -o json podman:test/minbase", podman_env_);
  EXPECT_EQ(scan.rc, 0) << scan.err;
  scan = Distill("scan -q --db " + db + " podman:test/nothing", podman_env_);
  EXPECT_EQ(scan.rc, 2);
  EXPECT_THAT(scan.err,
              HasSubstr("podman (" + service_->socket() + "): test/nothing: no such image"));
}

TEST_F(RealEngineTest, AnImageTheEngineDoesNotHave) {
  Ran r = Distill("sbom -q podman:test/nothing:1", podman_env_);
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("error: podman (" + service_->socket() +
                               "): test/nothing:1: no such image ("));
}

// The socket is root's (mode 0600, in a 0700 directory): another user gets "permission denied",
// named as such, with the socket and the image.
TEST_F(RealEngineTest, PermissionDeniedOnTheSocket) {
  Ran r = testing::Run(
      "setpriv --reuid 65534 --regid 65534 --clear-groups env HOME=/tmp CONTAINER_HOST=unix://" +
      service_->socket() + " " + std::string(DISTILL_BINARY) + " inspect -q podman:test/minbase");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "error: podman (" + service_->socket() +
                       "): test/minbase: permission denied (run as a user allowed "
                       "to use the socket)\n");
}

// A real dockerd (Debian's docker.io, when installed): its `docker save` stream (legacy
// <id>/layer.tar members, manifest.json last) reads as the archive it was loaded from, its
// "No such image" is reported, and a bare reference finds the image in docker first.
TEST_F(RealEngineTest, RealDockerd) {
  std::string err;
  auto dockerd = distill::testing::DockerdService::Start(&err);
  ASSERT_NE(dockerd, nullptr) << err;
  std::string out;
  ASSERT_TRUE(dockerd->Load(Images() + "/minbase.docker.tar", &out)) << out;
  std::string env = "DOCKER_CONFIG=" + dir_ + " DOCKER_HOST=unix://" + dockerd->socket() +
                    " CONTAINER_HOST=unix://" + service_->socket();
  auto want = Json("inspect -q -o json docker-archive:" + Images() + "/minbase.docker.tar", env);
  auto got = Json("inspect -q -o json docker:test/minbase", env);
  EXPECT_EQ(got["type"], "docker");
  EXPECT_EQ(got["config_digest"], want["config_digest"]);
  EXPECT_EQ(Layers(got), Layers(want));
  EXPECT_EQ(Json("inspect -q -o json test/minbase", env)["type"], "docker");
  Ran r = Distill("sbom -q docker:test/nothing", env);
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(
      r.err, HasSubstr("error: docker (" + dockerd->socket() + "): test/nothing: no such image ("));
}

// A daemon that says the image is there, then breaks off its `docker save` stream half way (as a
// daemon that dies or runs out of disk does): python3's HTTP server on a unix socket, serving the
// first half of a real archive. Nothing is printed, exit 2, the message names socket and image.
TEST_F(RealEngineTest, AStreamThatBreaksOffMidWay) {
  std::string sock = dir_ + "/broken.sock";
  std::string script = dir_ + "/broken.py";
  std::ofstream(script) << R"PY(
import http.server, os, socketserver, sys
data = open(sys.argv[2], 'rb').read()
class H(http.server.BaseHTTPRequestHandler):
    def address_string(self): return 'unix'
    def do_GET(self):
        if self.path.endswith('/json'):
            body = b'{"Id":"sha256:00","RootFS":{"Layers":[]}}'
            self.send_response(200); self.send_header('Content-Length', str(len(body))); self.end_headers()
            self.wfile.write(body); return
        self.send_response(200); self.send_header('Content-Length', str(len(data))); self.end_headers()
        self.wfile.write(data[:len(data) // 2]); self.wfile.flush()
        self.connection.shutdown(2)
class S(socketserver.ThreadingMixIn, socketserver.UnixStreamServer): pass
if os.path.exists(sys.argv[1]): os.unlink(sys.argv[1])
S(sys.argv[1], H).serve_forever()
)PY";
  Shell("python3 " + script + " " + sock + " " + Images() + "/minbase.docker.tar >" + dir_ +
        "/py.log 2>&1 & echo $! > " + dir_ + "/py.pid");
  for (int i = 0; i < 100 && Shell("test -S " + sock + " && echo y") != "y\n"; ++i) usleep(50000);
  Ran r = Distill("sbom -q -o distill-json docker:test/minbase", "DOCKER_HOST=unix://" + sock);
  Shell("kill $(cat " + dir_ + "/py.pid)");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("error: docker (" + sock + "): test/minbase: "));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

}  // namespace
}  // namespace distill::image::engine
