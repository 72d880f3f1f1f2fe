#include "imagebuild/deb/apt/release.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "util/digest.h"
#include "util/text.h"

extern char** environ;

namespace distill::imagebuild::apt {

const char kDefaultKeyring[] = "/usr/share/keyrings/debian-archive-keyring.gpg";

namespace {

struct Run {
  int status = -1;
  std::string out, err;
};

// Runs argv with stdin from /dev/null, collecting stdout and stderr (bounded).
Result<Run> RunProcess(const std::vector<std::string>& args, size_t max_out) {
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return InternalErrorf("pipe: {}", std::strerror(errno));
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return InternalErrorf("pipe: {}", std::strerror(errno));
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    return InternalErrorf("cannot run {}: {} (install Debian's gpgv package)", args[0],
                          std::strerror(rc));
  }
  Run r;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open = 2;
  char buf[65536];
  bool too_big = false;
  while (open > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
        continue;
      }
      if (sinks[i]->size() + n > max_out)
        too_big = true;
      else
        sinks[i]->append(buf, n);
    }
  }
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
  if (too_big) return Errorf("{}: output larger than {} bytes", args[0], max_out);
  return r;
}

// "Sat, 11 Jul 2026 10:16:37 UTC" → unix time, or -1.
int64_t ParseRfc822(const std::string& text) {
  std::tm tm{};
  const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
  if (!end) return -1;
  return static_cast<int64_t>(::timegm(&tm));
}

}  // namespace

const ReleaseFile* Release::Find(std::string_view path) const {
  for (const auto& f : files)
    if (f.path == path) return &f;
  return nullptr;
}

Result<Release> ParseRelease(std::string_view text) {
  Release r;
  bool in_sha256 = false, saw_sha256 = false;
  Error err;
  bool failed = false;
  ForEachLine(text, [&](int n, std::string_view line) {
    if (line.empty()) return true;
    if (line.front() == ' ' || line.front() == '\t') {
      if (!in_sha256) return true;
      // " <hex> <size> <path>"
      std::string_view rest = Trim(line);
      size_t a = rest.find_first_of(" \t");
      std::string_view hash = rest.substr(0, a);
      rest = a == std::string_view::npos ? std::string_view() : Trim(rest.substr(a));
      size_t b = rest.find_first_of(" \t");
      std::string_view size = rest.substr(0, b);
      std::string_view path =
          b == std::string_view::npos ? std::string_view() : Trim(rest.substr(b));
      uint64_t sz = 0;
      if (!ParseU64(size, &sz) || !IsSha256Hex(hash) || path.empty()) {
        err = Errorf("line {}: SHA256: expected 'HASH SIZE PATH'", n);
        failed = true;
        return false;
      }
      r.files.push_back({std::string(path), sz, std::string(hash)});
      return true;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      err = Errorf("line {}: expected 'Field: value'", n);
      failed = true;
      return false;
    }
    std::string_view key = line.substr(0, colon), value = Trim(line.substr(colon + 1));
    in_sha256 = key == "SHA256";
    if (in_sha256) saw_sha256 = true;
    if (key == "Origin")
      r.origin = value;
    else if (key == "Label")
      r.label = value;
    else if (key == "Suite")
      r.suite = value;
    else if (key == "Codename")
      r.codename = value;
    else if (key == "Date")
      r.date = value;
    else if (key == "Valid-Until")
      r.valid_until = value;
    else if (key == "Architectures") {
      std::string_view rest = value;
      while (!rest.empty()) {
        size_t sp = rest.find(' ');
        if (sp) r.architectures.emplace_back(rest.substr(0, sp));
        rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
      }
    } else if (key == "Acquire-By-Hash")
      r.acquire_by_hash = value == "yes";
    else if (key == "No-Support-for-Architecture-all")
      r.all_in_arch_packages = value == "Packages";
    return true;
  });
  if (failed) return err;
  if (!saw_sha256) return Errorf("no SHA256 section (MD5Sum and SHA1 alone are not trusted)");
  return r;
}

Result<std::string> ClearsignedText(std::string_view in) {
  constexpr std::string_view kBegin = "-----BEGIN PGP SIGNED MESSAGE-----";
  constexpr std::string_view kSig = "\n-----BEGIN PGP SIGNATURE-----";
  if (!in.starts_with(kBegin)) return Errorf("not a clearsigned message");
  size_t body = in.find("\n\n");
  size_t sig = in.find(kSig);
  if (body == std::string_view::npos || sig == std::string_view::npos || sig < body)
    return Errorf("malformed clearsigned message");
  std::string out;
  ForEachLine(in.substr(body + 2, sig - body - 1), [&](int, std::string_view line) {
    if (line.starts_with("- ")) line.remove_prefix(2);  // dash-escaping
    out.append(line);
    out.push_back('\n');
    return true;
  });
  return out;
}

Result<std::string> VerifyInRelease(const std::string& path, const std::string& keyring) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(keyring, ec))
    return Errorf("keyring {}: not found", keyring);
  // An empty private homedir: gpgv must not read or write the user's ~/.gnupg.
  char home[] = "/tmp/distill-gpgv-XXXXXX";
  if (!::mkdtemp(home)) return InternalErrorf("mkdtemp: {}", std::strerror(errno));
  auto run = RunProcess(
      {"gpgv", "--homedir", home, "--status-fd", "2", "--output", "-", "--keyring", keyring, path},
      64 << 20);
  std::filesystem::remove_all(home, ec);
  if (!run.ok()) return std::move(run).error();
  bool valid = run->err.find("[GNUPG:] VALIDSIG ") != std::string::npos;
  if (run->status != 0 || !valid) {
    std::string why;
    ForEachLine(run->err, [&](int, std::string_view line) {
      if (line.starts_with("gpgv: "))
        why += std::string(why.empty() ? "" : "; ") + std::string(line.substr(6));
      return true;
    });
    return Errorf("{}: signature check with keyring {} failed (gpgv: {})", path, keyring,
                  why.empty() ? "exit status " + std::to_string(run->status) : why);
  }
  return std::move(run->out);
}

Status CheckReleaseFor(const Release& release, std::string_view suite, bool check_valid_until,
                       int64_t now) {
  if (release.suite != suite && release.codename != suite)
    return Errorf("Release is for suite '{}' (codename '{}'), not '{}'", release.suite,
                  release.codename, suite);
  if (check_valid_until && !release.valid_until.empty()) {
    int64_t until = ParseRfc822(release.valid_until);
    if (until < 0) return Errorf("Release: Valid-Until: cannot parse '{}'", release.valid_until);
    if (now > until) return Errorf("Release expired (Valid-Until: {})", release.valid_until);
  }
  return {};
}

}  // namespace distill::imagebuild::apt
