// Test helper: a real podman API service (`podman system service`, the Docker-compatible Engine
// API) on a unix socket in a temporary directory, with its own image store (--root/--runroot
// there, vfs storage), so tests never touch the host's images. Stopped (SIGTERM, then reaped)
// when the object goes away.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

namespace distill::testing {

class PodmanService {
 public:
  // nullptr (and *error) when podman is missing or the service does not come up.
  static std::unique_ptr<PodmanService> Start(std::string* error);
  ~PodmanService();
  PodmanService(const PodmanService&) = delete;
  PodmanService& operator=(const PodmanService&) = delete;

  const std::string& socket() const { return socket_; }
  const std::string& dir() const { return dir_; }
  // "podman --remote --url unix://SOCKET": the podman CLI on this service's store.
  std::string Cli() const;
  // `podman load -i archive` into this service's store; false (and *out) when it fails.
  bool Load(const std::string& archive, std::string* out) const;

 private:
  PodmanService() = default;
  std::string dir_, socket_;
  pid_t pid_ = -1;
};

// A real dockerd (Debian's docker.io) on a unix socket in a temporary directory, with its own
// --data-root/--exec-root and no networks (scripts/README notes); nullptr (and *error) when dockerd
// is not installed or does not come up.
class DockerdService {
 public:
  static std::unique_ptr<DockerdService> Start(std::string* error);
  ~DockerdService();
  DockerdService(const DockerdService&) = delete;
  DockerdService& operator=(const DockerdService&) = delete;
  const std::string& socket() const { return socket_; }
  // `docker load -i archive` into this daemon; false (and *out) when it fails.
  bool Load(const std::string& archive, std::string* out) const;

 private:
  DockerdService() = default;
  std::string dir_, socket_;
  pid_t pid_ = -1;
};

}  // namespace distill::testing
