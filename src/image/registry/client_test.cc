// The registry client against a scripted HTTP server on 127.0.0.1 (in-process, one thread):
// rate limiting with Retry-After, Bearer challenges, digest mismatches, resumed blob downloads.
#include "image/registry/client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include "image/registry/blob_reader.h"
#include "image/registry/source.h"
#include "util/digest.h"

namespace distill::image::registry {
namespace {

struct Request {
  std::string method, path, headers, body;
  bool Has(std::string_view h) const { return headers.find(h) != std::string::npos; }
};

// Answers each connection's first request with handler(request); closes the connection after it.
class FakeServer {
 public:
  explicit FakeServer(std::function<std::string(const Request&)> handler)
      : handler_(std::move(handler)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    ::listen(fd_, 16);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_; }

 private:
  void Serve() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string in;
      char buf[4096];
      while (in.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        in.append(buf, static_cast<size_t>(n));
        if (in.size() > 2 && static_cast<unsigned char>(in[0]) == 0x16)
          break;  // a TLS hello: not for us
      }
      if (in.find("\r\n\r\n") != std::string::npos && static_cast<unsigned char>(in[0]) != 0x16) {
        Request r;
        auto sp1 = in.find(' '), sp2 = in.find(' ', sp1 + 1);
        r.method = in.substr(0, sp1);
        r.path = in.substr(sp1 + 1, sp2 - sp1 - 1);
        size_t end = in.find("\r\n\r\n") + 4;
        r.headers = in.substr(0, end - 4);
        if (auto cl = r.headers.find("Content-Length: "); cl != std::string::npos) {
          size_t want = std::stoul(r.headers.substr(cl + 16));
          while (in.size() < end + want) {
            ssize_t n = ::recv(c, buf, sizeof buf, 0);
            if (n <= 0) break;
            in.append(buf, static_cast<size_t>(n));
          }
          r.body = in.substr(end, want);
        }
        ++requests_;
        std::string out = handler_(r);
        for (size_t off = 0; off < out.size();) {
          ssize_t n = ::send(c, out.data() + off, out.size() - off, MSG_NOSIGNAL);
          if (n <= 0) break;
          off += static_cast<size_t>(n);
        }
      }
      ::shutdown(c, SHUT_RDWR);
      ::close(c);
    }
  }
  std::function<std::string(const Request&)> handler_;
  int fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

std::string Response(int status, std::string body, std::string headers = "") {
  return fmt::format("HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n{}\r\n{}", status,
                     body.size(), headers, body);
}

constexpr const char* kManifest =
    R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"})";
constexpr const char* kOciManifestType =
    "Content-Type: application/vnd.oci.image.manifest.v1+json\r\n";

std::shared_ptr<Client> NewClient(const std::string& host, int retries = 4,
                                  std::optional<Credential> cred = std::nullopt) {
  Options o;
  o.docker_config = "/nonexistent/config.json";
  o.max_retries = retries;
  o.credential = std::move(cred);
  auto c = Client::Create(host, o);
  EXPECT_TRUE(c.ok());
  return *c;
}

TEST(RegistryClientTest, RateLimitHonoursRetryAfter) {
  std::atomic<int> n{0};
  FakeServer s([&](const Request& r) {
    if (n++ == 0)
      return Response(429, R"({"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]})",
                      "Retry-After: 1\r\n");
    return Response(200, kManifest, kOciManifestType);
  });
  auto start = std::chrono::steady_clock::now();
  auto m = FetchManifest(*NewClient(s.host()), "app", "1");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(950));
  EXPECT_EQ(m->digest, Sha256Digest(kManifest));
  EXPECT_EQ(m->media_type, "application/vnd.oci.image.manifest.v1+json");
}

TEST(RegistryClientTest, RateLimitGivesUp) {
  FakeServer s([&](const Request&) {
    return Response(429, R"({"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]})",
                    "Retry-After: 0\r\n");
  });
  auto m = FetchManifest(*NewClient(s.host(), 1), "app", "1");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message,
            s.host() + ": rate limited (HTTP 429 TOOMANYREQUESTS: slow down) after 1 retries");
}

TEST(RegistryClientTest, BearerChallengeFetchesAToken) {
  std::string realm;
  FakeServer s([&](const Request& r) {
    if (r.path.starts_with("/token?")) {
      if (r.path != "/token?service=fake&scope=repository%3Ateam%2Fapp%3Apull")
        return Response(400, "bad scope " + r.path);
      return Response(200, R"({"token":"t0k3n"})");
    }
    if (!r.Has("Authorization: Bearer t0k3n"))
      return Response(401,
                      R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})",
                      "WWW-Authenticate: Bearer realm=\"" + realm +
                          "\",service=\"fake\",scope=\"repository:team/app:pull\"\r\n");
    return Response(200, kManifest, kOciManifestType);
  });
  realm = "http://" + s.host() + "/token";
  auto m = FetchManifest(*NewClient(s.host()), "team/app", "1");
  ASSERT_TRUE(m.ok()) << m.error().message;
}

// An identity token (OAuth2 refresh token) is POSTed as a form; the access_token answers.
TEST(RegistryClientTest, IdentityTokenUsesTheOAuth2RefreshGrant) {
  std::string realm;
  std::vector<std::string> forms;
  FakeServer s([&](const Request& r) {
    if (r.path == "/token") {
      forms.push_back(r.body);
      if (r.method != "POST" || !r.Has("Content-Type: application/x-www-form-urlencoded"))
        return Response(405, "");
      if (r.body.find("refresh_token=rt%2F1&") == std::string::npos) return Response(401, "");
      return Response(200, R"({"access_token":"acc3ss","refresh_token":"rt/2","expires_in":300})");
    }
    if (!r.Has("Authorization: Bearer acc3ss"))
      return Response(401, "",
                      "WWW-Authenticate: Bearer realm=\"" + realm +
                          "\",service=\"fake\",scope=\"repository:team/app:pull\"\r\n");
    return Response(200, kManifest, kOciManifestType);
  });
  realm = "http://" + s.host() + "/token";
  Credential c{"<token>", "rt/1", "rt/1", "credential helper docker-credential-test"};
  auto client = NewClient(s.host(), 4, c);
  auto m = FetchManifest(*client, "team/app", "1");
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(forms.size(), 1u);
  EXPECT_EQ(forms[0],
            "grant_type=refresh_token&refresh_token=rt%2F1&service=fake&scope=repository%3Ateam%"
            "2Fapp%3Apull&client_id=distill");
  // The rotated refresh token is the one sent next (another scope needs another token).
  auto other = FetchManifest(*client, "team/other", "1");
  ASSERT_FALSE(other.ok());
  ASSERT_EQ(forms.size(), 2u);
  EXPECT_NE(forms[1].find("refresh_token=rt%2F2&"), std::string::npos) << forms[1];
}

// A token endpoint without the OAuth2 POST (404): the GET of the token spec, with Basic auth when
// the credential has a username and password.
TEST(RegistryClientTest, IdentityTokenFallsBackToGet) {
  std::string realm;
  std::vector<std::string> token_requests;
  FakeServer s([&](const Request& r) {
    if (r.path.starts_with("/token")) {
      token_requests.push_back(r.method + " " + r.path +
                               (r.Has("Authorization: Basic YWxpY2U6cHc=") ? " basic" : ""));
      if (r.method == "POST") return Response(404, "");
      return Response(200, R"({"token":"t0k3n"})");
    }
    if (!r.Has("Authorization: Bearer t0k3n"))
      return Response(401, "",
                      "WWW-Authenticate: Bearer realm=\"" + realm + "\",service=\"fake\"\r\n");
    return Response(200, kManifest, kOciManifestType);
  });
  realm = "http://" + s.host() + "/token";
  auto m = FetchManifest(*NewClient(s.host(), 4, Credential{"alice", "pw", "rt", "config.json"}),
                         "app", "1");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(token_requests,
            (std::vector<std::string>{
                "POST /token", "GET /token?service=fake&scope=repository%3Aapp%3Apull basic"}));
}

TEST(RegistryClientTest, DigestMismatch) {
  std::string other = "sha256:" + std::string(64, 'a');
  FakeServer s([&](const Request&) {
    return Response(200, kManifest,
                    std::string(kOciManifestType) + "Docker-Content-Digest: " + other + "\r\n");
  });
  auto client = NewClient(s.host());
  auto by_tag = FetchManifest(*client, "app", "1");
  ASSERT_FALSE(by_tag.ok());
  EXPECT_EQ(
      by_tag.error().message,
      s.host() +
          "/app: manifest 1: digest mismatch: the registry says sha256:aaaaaaaaaaaa, content is " +
          ShortDigest(Sha256Digest(kManifest)));
  auto by_digest = FetchManifest(*client, "app", other);
  ASSERT_FALSE(by_digest.ok());
  EXPECT_EQ(by_digest.error().message, s.host() + "/app: manifest " + other +
                                           ": digest mismatch (content is " +
                                           ShortDigest(Sha256Digest(kManifest)) + ")");
  auto blob = FetchSmallBlob(*client, "app", other, -1);
  ASSERT_FALSE(blob.ok());
  EXPECT_EQ(blob.error().message,
            s.host() + "/app: blob sha256:aaaaaaaaaaaa: digest mismatch (content is " +
                ShortDigest(Sha256Digest(kManifest)) + ")");
}

TEST(RegistryClientTest, BlobDownloadResumesWithRange) {
  std::string blob(300000, '\0');
  for (size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>(i * 7);
  std::string digest = Sha256Digest(blob);
  std::atomic<int> n{0};
  FakeServer s([&](const Request& r) {
    if (n++ == 0)  // promise everything, send a third, hang up
      return fmt::format("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", blob.size()) +
             blob.substr(0, 100000);
    auto range = r.headers.find("Range: bytes=");
    if (range == std::string::npos) return Response(500, "no range");
    size_t from = std::stoul(r.headers.substr(range + 13));
    return fmt::format(
               "HTTP/1.1 206 Partial Content\r\nContent-Length: {}\r\nContent-Range: bytes "
               "{}-{}/{}\r\n\r\n",
               blob.size() - from, from, blob.size() - 1, blob.size()) +
           blob.substr(from);
  });
  auto reader = OpenBlob(NewClient(s.host()), "app", digest);
  ASSERT_TRUE(reader.ok());
  auto all = ReadAll(**reader, 1 << 20, "blob");
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(Sha256Digest(*all), digest);
}

TEST(RegistryClientTest, StreamedBlobVerifiesItsDigestBeforeTheEnd) {
  std::string blob(300000, 'x');
  FakeServer s([&](const Request&) { return Response(200, blob); });
  std::string good = Sha256Digest(blob), bad = "sha256:" + std::string(64, 'b');
  auto ok = OpenBlob(NewClient(s.host()), "app", good);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE((*ok)->self_verifying());
  auto all = ReadAll(**ok, 1 << 20, "blob");
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ((*ok)->verified_digest(), good);
  auto wrong = OpenBlob(NewClient(s.host()), "app", bad);
  ASSERT_TRUE(wrong.ok());
  auto read = ReadAll(**wrong, 1 << 20, "blob");
  ASSERT_FALSE(read.ok());  // the last read fails: no consumer sees a clean end of unverified bytes
  EXPECT_EQ(read.error().message, s.host() +
                                      ": blob sha256:bbbbbbbbbbbb: digest mismatch (content is " +
                                      ShortDigest(good) + ")");
}

// A ring much smaller than the blob: the download waits for the reader again and again, reads
// of odd sizes cross the ring's wrap-around, and the bytes arrive intact and in order.
TEST(RegistryClientTest, BlobThroughASmallRingArrivesIntact) {
  std::string blob(1 << 20, '\0');
  for (size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>((i * 131) >> 3);
  FakeServer s([&](const Request&) { return Response(200, blob); });
  BlobReader reader(NewClient(s.host()), "app", Sha256Digest(blob), 4099);
  std::string got;
  char buf[1000];
  for (size_t i = 0;; ++i) {
    auto n = reader.Read(buf, 1 + (i * 37) % sizeof buf);
    ASSERT_TRUE(n.ok()) << n.error().message;
    if (*n == 0) break;
    got.append(buf, *n);
    if (i % 64 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  EXPECT_TRUE(got == blob);
  EXPECT_EQ(reader.verified_digest(), Sha256Digest(blob));
}

// A reader dropped halfway (an error elsewhere in the layer) stops the download, which is waiting
// for room in the full ring, without hanging.
TEST(RegistryClientTest, BlobReaderDroppedMidStreamStopsTheDownload) {
  std::string blob(1 << 20, 'y');
  FakeServer s([&](const Request&) { return Response(200, blob); });
  auto reader = std::make_unique<BlobReader>(NewClient(s.host()), "app", Sha256Digest(blob), 8192);
  char buf[100];
  auto n = reader->Read(buf, sizeof buf);
  ASSERT_TRUE(n.ok());
  EXPECT_GT(*n, 0u);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the ring fill up
  reader.reset();
}

TEST(RegistryClientTest, NotFoundQuotesTheRegistry) {
  FakeServer s([&](const Request&) {
    return Response(
        404,
        R"({"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]})");
  });
  auto m = FetchManifest(*NewClient(s.host()), "nope", "1");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message, s.host() +
                                   ": GET /v2/nope/manifests/1: not found (HTTP 404 NAME_UNKNOWN: "
                                   "repository name not known to registry)");
}

}  // namespace
}  // namespace distill::image::registry
