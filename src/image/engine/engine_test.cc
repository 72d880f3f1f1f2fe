#include "image/engine/engine.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/image_builder.h"

namespace distill::image::engine {
namespace {

using ::testing::HasSubstr;

// Sets an environment variable for one test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (had_)
      ::setenv(name_, old_.c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

TEST(EngineTest, ApiReference) {
  EXPECT_EQ(ApiReference("alpine"), "alpine:latest");
  EXPECT_EQ(ApiReference("alpine:3.18"), "alpine:3.18");
  EXPECT_EQ(ApiReference("localhost:5000/team/app"), "localhost:5000/team/app:latest");
  std::string digest = "ghcr.io/org/app@sha256:" + std::string(64, 'a');
  EXPECT_EQ(ApiReference(digest), digest);
  EXPECT_EQ(ApiReference("ec9d345ecade"), "ec9d345ecade");
  EXPECT_EQ(ApiReference("sha256:" + std::string(64, 'e')), "sha256:" + std::string(64, 'e'));
}

TEST(EngineTest, ErrorMessages) {
  EXPECT_EQ(ErrorMessage(R"({"message":"No such image: nope:1"})"), "No such image: nope:1");
  EXPECT_EQ(
      ErrorMessage(
          R"({"cause":"image not known","message":"failed to find image nope:1: image not known","response":404})"),
      "failed to find image nope:1: image not known");
  EXPECT_EQ(ErrorMessage("  page not found\n"), "page not found");
  EXPECT_EQ(ErrorMessage(std::string(300, 'x')), std::string(200, 'x') + "…");
}

TEST(EngineTest, LoadResponses) {
  EXPECT_EQ(*ParseLoadResponse("{\"stream\":\"Loaded image: app:1\\n\"}\n"), "Loaded image: app:1");
  EXPECT_EQ(*ParseLoadResponse("{\"stream\":\"Loaded image: localhost/app:1\\n\"}"),
            "Loaded image: localhost/app:1");
  EXPECT_EQ(ParseLoadResponse(
                "{\"errorDetail\":{\"message\":\"unexpected EOF\"},\"error\":\"unexpected EOF\"}\n")
                .error()
                .message,
            "unexpected EOF");
  EXPECT_EQ(ParseLoadResponse("{\"errorDetail\":{\"message\":\"bad tar\"}}\n").error().message,
            "bad tar");
  EXPECT_FALSE(ParseLoadResponse("<html>").ok());
}

TEST(EngineTest, AMissingSocketFailsAtOnceNamingIt) {
  std::string dir = testing::TempDir();
  ScopedEnv host("DOCKER_HOST", ("unix://" + dir + "/none.sock").c_str());
  auto ep = Connect("docker", "app:1");
  ASSERT_FALSE(ep.ok());
  EXPECT_EQ(ep.error().message,
            "docker (" + dir +
                "/none.sock): app:1: no such socket (is the Docker daemon running? "
                "DOCKER_HOST names another socket)");
}

TEST(EngineTest, ASocketNobodyListensOnIsRefused) {
  std::string dir = testing::TempDir();
  std::string path = dir + "/podman.sock";
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strcpy(addr.sun_path, path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ::close(fd);  // bound, never listened on: the socket file stays, connect() is refused
  ScopedEnv host("CONTAINER_HOST", nullptr);
  ScopedEnv xdg("XDG_RUNTIME_DIR", dir.c_str());
  std::filesystem::create_directories(dir + "/podman");
  std::filesystem::rename(path, dir + "/podman/podman.sock");
  auto ep = Connect("podman", "app:1");
  ASSERT_FALSE(ep.ok());
  EXPECT_EQ(ep.error().message,
            "podman (" + dir +
                "/podman/podman.sock): app:1: connection refused (nothing listens on "
                "the socket: is the podman service running?)");
}

TEST(EngineTest, HostVariables) {
  {
    ScopedEnv host("DOCKER_HOST", "ssh://me@box");
    EXPECT_EQ(
        Connect("docker", "app").error().message,
        "docker: app: DOCKER_HOST=ssh://me@box: only unix:// and tcp:// addresses are supported");
  }
  {
    ScopedEnv host("DOCKER_HOST", "tcp://127.0.0.1:2375/");
    auto ep = Connect("docker", "app");  // (tcp is not probed: curl says what fails)
    ASSERT_TRUE(ep.ok()) << ep.error().message;
    EXPECT_EQ(ep->base_url, "http://127.0.0.1:2375");
    EXPECT_EQ(ep->Where(), "tcp://127.0.0.1:2375");
  }
}

}  // namespace
}  // namespace distill::image::engine
