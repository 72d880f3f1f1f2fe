#include "testing/feed_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "testing/registry_server.h"

namespace distill::testing {

std::unique_ptr<FeedServer> FeedServer::Start(const std::string& root, std::string* error) {
  std::unique_ptr<FeedServer> s(new FeedServer);
  s->port_ = FreePort();
  s->log_ = root + "/../feed-requests-" + std::to_string(::getpid()) + "-" +
            std::to_string(s->port_) + ".log";
  std::ofstream(s->log_).flush();
  const std::string script = std::string(DISTILL_SOURCE_DIR) + "/src/testing/feed_server.py";
  s->pid_ = ::fork();
  if (s->pid_ < 0) {
    *error = "fork failed";
    return nullptr;
  }
  if (s->pid_ == 0) {
    std::string port = std::to_string(s->port_);
    (void)std::freopen("/dev/null", "w", stderr);
    ::execlp("python3", "python3", script.c_str(), root.c_str(), port.c_str(), s->log_.c_str(),
             static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (int i = 0; i < 200 && !Listening(s->port_); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  if (!Listening(s->port_)) {
    *error = "feed_server.py did not start (python3 " + script + ")";
    return nullptr;
  }
  return s;
}

FeedServer::~FeedServer() {
  Stop();
  std::remove(log_.c_str());
}

void FeedServer::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string FeedServer::Url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/" + std::string(path);
}

std::vector<std::string> FeedServer::Requests() const {
  std::vector<std::string> out;
  std::ifstream in(log_);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace distill::testing
