// Privilege: who the container runs as, and files that grant more than they should.
#include <charconv>

#include "audit/checks.h"
#include "util/text.h"

namespace distill::audit {

namespace {

std::string User(const Context& context) {
  if (!context.config.is_object() || !context.config.contains("User") ||
      !context.config["User"].is_string())
    return "";
  return context.config["User"].get<std::string>();
}

struct Account {
  std::string name;
  uint32_t uid = 0;
};

std::vector<Account> Accounts(const Context& context) {
  std::vector<Account> out;
  auto text = context.files.Contents("etc/passwd");
  if (!text.ok()) return out;
  std::string_view t = *text;
  while (!t.empty()) {
    size_t nl = t.find('\n');
    std::string_view line = t.substr(0, nl);
    t = nl == std::string_view::npos ? std::string_view() : t.substr(nl + 1);
    size_t a = line.find(':'), b = a == std::string_view::npos ? a : line.find(':', a + 1);
    size_t d = b == std::string_view::npos ? b : line.find(':', b + 1);
    if (d == std::string_view::npos) continue;
    Account acc;
    acc.name = std::string(line.substr(0, a));
    std::string_view uid = line.substr(b + 1, d - b - 1);
    if (std::from_chars(uid.data(), uid.data() + uid.size(), acc.uid).ec != std::errc()) continue;
    out.push_back(std::move(acc));
  }
  return out;
}

// An account meant for running an app: a regular user (uid >= 1000) or distroless' nonroot
// (65532); not nobody (65534) and not the system accounts below 1000.
bool IsAppAccount(const Account& account) {
  return account.uid >= 1000 && account.uid != 65534 && account.uid != 4294967295u;
}

}  // namespace

void CheckRunsAsRoot(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  if (!context.has_config) return;
  std::string user = User(context);
  std::string name = user.substr(0, user.find(':'));
  if (name.empty() || name == "0" || name == "root")
    out->push_back(Config(rule,
                          user.empty() ? "config User is empty: the container runs as root"
                                       : "config User is " + user,
                          "config.User=\"" + user + "\""));
}

void CheckNoNonrootUser(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  std::string name = User(context).substr(0, User(context).find(':'));
  bool numeric_nonroot =
      !name.empty() && name.find_first_not_of("0123456789") == std::string::npos && name != "0";
  if (numeric_nonroot) return;  // runs as a uid: no account needed
  auto accounts = Accounts(context);
  for (const auto& a : accounts)
    if (IsAppAccount(a)) return;
  const image::Entry* passwd = context.files.Find("etc/passwd");
  Finding f = passwd ? At(context, rule, *passwd,
                          "no non-root account for the app (uid >= 1000 other than nobody)",
                          fmt::format("{} accounts, none for an app", accounts.size()))
                     : Config(rule, "no etc/passwd", "");
  f.severity = rule.severity;
  out->push_back(std::move(f));
}

void CheckSetuid(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  for (const image::Entry& e : context.files.entries())
    if (e.is_regular_like() && (e.mode & 04000))
      out->push_back(
          At(context, rule, e, fmt::format("setuid {} (owner uid {})", ModeString(e), e.uid)));
}

void CheckSetgid(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  for (const image::Entry& e : context.files.entries())
    if (e.is_regular_like() && (e.mode & 02000))
      out->push_back(
          At(context, rule, e, fmt::format("setgid {} (group gid {})", ModeString(e), e.gid)));
}

void CheckCapabilities(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  for (const image::Entry& e : context.files.entries())
    for (const auto& [name, value] : e.xattrs)
      if (name == "security.capability") {
        std::string hex;
        for (unsigned char ch : value.substr(0, 20)) hex += fmt::format("{:02x}", ch);
        out->push_back(
            At(context, rule, e, "file capabilities set", "security.capability=0x" + hex));
      }
}

void CheckWorldWritable(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  for (const image::Entry& e : context.files.entries()) {
    if (!(e.mode & 0002)) continue;
    if (e.type == image::FileType::kSymlink || e.type == image::FileType::kCharDevice ||
        e.type == image::FileType::kBlockDevice)
      continue;  // link modes mean nothing; devices are the device-node rule's
    if (e.type == image::FileType::kDirectory && (e.mode & 01000)) continue;  // sticky, like /tmp
    out->push_back(
        At(context, rule, e,
           fmt::format("world-writable {} {}", image::FileTypeName(e.type), ModeString(e))));
  }
}

void CheckDeviceNodes(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  for (const image::Entry& e : context.files.entries())
    if (e.type == image::FileType::kCharDevice || e.type == image::FileType::kBlockDevice)
      out->push_back(At(context, rule, e,
                        fmt::format("{} device {}:{}",
                                    e.type == image::FileType::kCharDevice ? "character" : "block",
                                    e.dev_major, e.dev_minor)));
}

}  // namespace distill::audit
