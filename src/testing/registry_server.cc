#include "testing/registry_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "testing/image_builder.h"
#include "testing/shell.h"

namespace distill::testing {

namespace {

// Issues RS256 JWTs the registry accepts: x5c = the certificate in its rootcertbundle.
constexpr const char* kTokenServer = R"PY(
import base64, json, sys, time, uuid
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlparse, parse_qs
import jwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization

port, user, password, key_path, cert_path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
key = open(key_path, 'rb').read()
cert = x509.load_pem_x509_certificate(open(cert_path, 'rb').read())
x5c = [base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()]

def issue(subject, scopes, service):
    access = []
    for s in scopes:
        for one in s.split(' '):
            parts = one.split(':')
            if len(parts) < 3 or parts[0] != 'repository':
                continue
            actions = parts[-1].split(',')
            # anonymous: pull only from public/*; a user: everything
            if not subject:
                actions = [a for a in actions if a == 'pull'] if parts[1].startswith('public/') else []
            access.append({'type': 'repository', 'name': ':'.join(parts[1:-1]), 'actions': actions})
    now = int(time.time())
    claims = {'iss': 'distill-test-issuer', 'sub': subject, 'aud': service,
              'exp': now + 300, 'nbf': now - 10, 'iat': now, 'jti': str(uuid.uuid4()), 'access': access}
    return jwt.encode(claims, key, algorithm='RS256', headers={'x5c': x5c})

class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    # The token spec's GET: anonymous or Basic auth.
    def do_GET(self):
        q = parse_qs(urlparse(self.path).query)
        auth = self.headers.get('Authorization', '')
        subject = ''
        if auth.startswith('Basic '):
            u, _, p = base64.b64decode(auth[6:]).decode().partition(':')
            if (u, p) != (user, password):
                self.send_response(401); self.end_headers(); return
            subject = u
        self.answer(200, {'token': issue(subject, q.get('scope', []), q.get('service', [''])[0]), 'expires_in': 300})
    # The OAuth2 flow: a form with grant_type refresh_token (the identity token 'rt-PASSWORD') or
    # password, and a client_id.
    def do_POST(self):
        n = int(self.headers.get('Content-Length', '0'))
        f = parse_qs(self.rfile.read(n).decode(), keep_blank_values=True)
        one = lambda k: f.get(k, [''])[0]
        if self.headers.get('Content-Type', '') != 'application/x-www-form-urlencoded' or not one('client_id'):
            self.answer(400, {'error': 'invalid_request'}); return
        if one('grant_type') == 'refresh_token' and one('refresh_token') == 'rt-' + password:
            subject = user
        elif one('grant_type') == 'password' and (one('username'), one('password')) == (user, password):
            subject = user
        else:
            self.answer(401, {'error': 'invalid_grant'}); return
        self.answer(200, {'access_token': issue(subject, f.get('scope', []), one('service')), 'expires_in': 300,
                          'refresh_token': 'rt-' + password, 'scope': one('scope')})

HTTPServer(('127.0.0.1', port), H).serve_forever()
)PY";

bool WaitForPort(int port, pid_t pid) {
  for (int i = 0; i < 200; ++i) {
    int status;
    if (::waitpid(pid, &status, WNOHANG) == pid) return false;  // exited
    if (Listening(port)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void Stop(pid_t pid) { StopChild(pid, 2000); }

std::string Quote(const std::string& s) { return "'" + s + "'"; }

}  // namespace

int FreePort() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

std::unique_ptr<RegistryServer> RegistryServer::Start(const Config& c, std::string* error) {
  std::unique_ptr<RegistryServer> r(new RegistryServer());
  r->config_ = c;
  r->dir_ = TempDir();
  int rc = 0;
  if (Shell("command -v docker-registry", &rc), rc != 0) {
    *error = "docker-registry is not installed (apt-get install docker-registry)";
    return nullptr;
  }
  bool need_cert = c.tls || c.auth == Auth::kToken;
  if (need_cert) {
    r->cert_ = r->dir_ + "/cert.pem";
    std::string out = Shell(fmt::format("openssl req -x509 -newkey rsa:2048 -nodes -keyout "
                                        "{0}/key.pem -out {0}/cert.pem -days 2 -subj /CN=127.0.0.1 "
                                        "-addext subjectAltName=IP:127.0.0.1 2>&1",
                                        Quote(r->dir_)),
                            &rc);
    if (rc != 0) {
      *error = "openssl: " + out;
      return nullptr;
    }
  }
  int port = FreePort();
  r->host_ = fmt::format("127.0.0.1:{}", port);
  std::string auth;
  if (c.auth == Auth::kBasic) {
    std::string out = Shell(fmt::format("htpasswd -Bbn {} {} > {}/htpasswd", Quote(c.user),
                                        Quote(c.password), Quote(r->dir_)),
                            &rc);
    if (rc != 0) {
      *error = "htpasswd failed (apt-get install apache2-utils)";
      return nullptr;
    }
    auth = fmt::format("auth: {{htpasswd: {{realm: distill-test, path: {}/htpasswd}}}}\n", r->dir_);
  } else if (c.auth == Auth::kToken) {
    int tport = FreePort();
    std::ofstream(r->dir_ + "/token_server.py") << kTokenServer;
    r->token_pid_ = Spawn({"/usr/bin/python3", r->dir_ + "/token_server.py", std::to_string(tport),
                           c.user, c.password, r->dir_ + "/key.pem", r->cert_},
                          r->dir_ + "/token.log");
    if (!WaitForPort(tport, r->token_pid_)) {
      *error = "token server did not start (needs python3-jwt): " +
               Shell("cat " + Quote(r->dir_ + "/token.log"));
      return nullptr;
    }
    auth = fmt::format(
        "auth: {{token: {{realm: 'http://127.0.0.1:{}/token', service: distill-test, issuer: "
        "distill-test-issuer, "
        "rootcertbundle: {}}}}}\n",
        tport, r->cert_);
  }
  std::string tls =
      c.tls ? fmt::format(", tls: {{certificate: {0}/cert.pem, key: {0}/key.pem}}", r->dir_) : "";
  std::ofstream(r->dir_ + "/config.yml") << fmt::format(
      "version: 0.1\nlog: {{level: warn}}\nstorage: {{filesystem: {{rootdirectory: {}/data}}, "
      "delete: {{enabled: true}}}}\n"
      "http: {{addr: '{}'{}}}\n{}",
      r->dir_, r->host_, tls, auth);
  r->registry_pid_ =
      Spawn({"docker-registry", "serve", r->dir_ + "/config.yml"}, r->dir_ + "/registry.log");
  if (!WaitForPort(port, r->registry_pid_)) {
    *error = "registry did not start: " + Shell("cat " + Quote(r->dir_ + "/registry.log"));
    return nullptr;
  }
  return r;
}

RegistryServer::~RegistryServer() {
  Stop(registry_pid_);
  Stop(token_pid_);
}

bool Listening(int port) {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

void StopChild(pid_t pid, int grace_ms) {
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);
  int status;
  for (int waited = 0; waited < grace_ms; waited += 20) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
}

pid_t Spawn(const std::vector<std::string>& argv, const std::string& log) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
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

}  // namespace distill::testing
