#include "testing/podman_service.h"
#include "testing/registry_server.h"

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

// Waits until the socket answers; false when the process exited (reaped) or it never did.
bool WaitForSocket(const std::string& socket, pid_t* pid) {
  for (int i = 0; i < 600; ++i) {
    int status;
    if (::waitpid(*pid, &status, WNOHANG) == *pid) {
      *pid = -1;
      return false;
    }
    if (Answers(socket)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void Stop(pid_t pid) { StopChild(pid, 5000); }

}  // namespace

std::unique_ptr<DockerdService> DockerdService::Start(std::string* error) {
  int rc = 0;
  Shell("command -v dockerd >/dev/null 2>&1 && test -x /usr/bin/docker", &rc);
  if (rc != 0) {
    *error = "dockerd is not installed (Debian's docker.io; scripts/install-deps.sh installs it)";
    return nullptr;
  }
  std::unique_ptr<DockerdService> d(new DockerdService());
  d->dir_ = TempDir();
  d->socket_ = d->dir_ + "/docker.sock";
  std::string log = d->dir_ + "/dockerd.log";
  d->pid_ = Spawn({"dockerd", "--data-root", d->dir_ + "/data", "--exec-root", d->dir_ + "/exec",
                   "--pidfile", d->dir_ + "/dockerd.pid", "-H", "unix://" + d->socket_,
                   "--bridge=none", "--iptables=false", "--ip6tables=false", "--ip-masq=false"},
                  log);
  if (!WaitForSocket(d->socket_, &d->pid_)) {
    *error = "dockerd did not answer on " + d->socket_ + ": " + Shell("tail -5 " + log);
    return nullptr;
  }
  return d;
}

DockerdService::~DockerdService() { Stop(pid_); }

bool DockerdService::Load(const std::string& archive, std::string* out) const {
  int rc = 0;
  *out = Shell("/usr/bin/docker -H unix://" + socket_ + " load -i '" + archive + "' 2>&1", &rc);
  return rc == 0;
}

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
  std::vector<std::string> argv = {"podman",
                                   "--root",
                                   p->dir_ + "/root",
                                   "--runroot",
                                   p->dir_ + "/run",
                                   "--storage-driver",
                                   "vfs",
                                   "--cgroup-manager",
                                   "cgroupfs",
                                   "--events-backend",
                                   "none",
                                   "system",
                                   "service",
                                   "--time=0",
                                   "unix://" + p->socket_};
  std::string log = p->dir_ + "/service.log";
  p->pid_ = Spawn(argv, log);
  for (int i = 0; i < 300; ++i) {
    int status;
    if (::waitpid(p->pid_, &status, WNOHANG) == p->pid_) {
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
