#include "testing/podman_service.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "testing/image_builder.h"
#include "testing/shell.h"

namespace distill::testing {

namespace {

bool Answers(const std::string& path) {
  int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path.c_str(), sizeof(a.sun_path) - 1);
  bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

}  // namespace

std::unique_ptr<PodmanService> PodmanService::Start(std::string* error) {
  int rc = 0;
  Shell("podman --version >/dev/null 2>&1", &rc);
  if (rc != 0) {
    *error = "podman is not installed (scripts/install-deps.sh installs it)";
    return nullptr;
  }
  std::unique_ptr<PodmanService> p(new PodmanService());
  p->dir_ = TempDir();
  p->socket_ = p->dir_ + "/podman.sock";
  std::vector<std::string> argv = {"podman", "--root", p->dir_ + "/root", "--runroot", p->dir_ + "/run",
                                   "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "none",
                                   "system", "service", "--time=0", "unix://" + p->socket_};
  std::string log = p->dir_ + "/service.log";
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  p->pid_ = pid;
  for (int i = 0; i < 300; ++i) {
    int status;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      p->pid_ = -1;
      *error = "podman system service exited: " + Shell("cat " + log);
      return nullptr;
    }
    if (Answers(p->socket_)) return p;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  *error = "podman system service did not answer on " + p->socket_ + ": " + Shell("cat " + log);
  return nullptr;
}

PodmanService::~PodmanService() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status;
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
}

std::string PodmanService::Cli() const { return "podman --remote --url unix://" + socket_; }

bool PodmanService::Load(const std::string& archive, std::string* out) const {
  int rc = 0;
  *out = Shell(Cli() + " load -i '" + archive + "' 2>&1", &rc);
  return rc == 0;
}

}  // namespace distill::testing
