// Test helper: advisory feeds served over HTTP on 127.0.0.1 (src/testing/feed_server.py: ETag,
// Last-Modified, 304s, a request log, and bad answers under /_status/NNN/, /_html/, /_cut/,
// /_slow/). Stopped (SIGTERM, then reaped) when the object goes away.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace distill::testing {

class FeedServer {
 public:
  // Serves `root`; nullptr (and *error) when python3 is missing or the server does not come up.
  static std::unique_ptr<FeedServer> Start(const std::string& root, std::string* error);
  ~FeedServer();
  FeedServer(const FeedServer&) = delete;
  FeedServer& operator=(const FeedServer&) = delete;

  std::string Url(std::string_view path) const;  // "http://127.0.0.1:PORT/" + path
  std::vector<std::string> Requests() const;     // "GET /path 200", in order
  void Stop();

 private:
  FeedServer() = default;
  int port_ = 0;
  pid_t pid_ = -1;
  std::string log_;
};

}  // namespace distill::testing
