#include "audit/rules.h"

#include "audit/checks.h"
#include "util/text.h"
#include "util/units.h"

namespace distill::audit {

namespace {

using F = Family;
using S = Severity;

// THE table. Severity is the rule's default; a policy `deny` may raise it.
const std::vector<Rule> kRules = {
    // --- shells and multi-call binaries
    {"shell", "Shell present", S::kHigh, F::kShell, true,
     "remove the shell (use a distroless base; exec-form ENTRYPOINT needs none)", &CheckShells},
    {"multi-call", "Multi-call binary (busybox/toybox)", S::kHigh, F::kShell, true,
     "remove busybox/toybox and its applet links", &CheckMultiCall},
    // --- package managers
    {"package-manager", "Package manager present", S::kHigh, F::kPackageManager, true,
     "install packages at build time in a builder stage; ship without the package manager",
     &CheckPackageManagers},
    // --- living-off-the-land tools and interpreters
    {"lotl-tool", "Network or crypto tool usable by an attacker", S::kHigh, F::kLotl, true,
     "remove the tool; fetch or test in a builder stage instead", &CheckLotlTools},
    {"interpreter", "General-purpose interpreter", S::kMedium, F::kLotl, false,
     "remove it, or name it as the app's runtime in the policy (runtime: [python3])",
     &CheckInterpreters},
    // --- privilege
    {"runs-as-root", "Runs as root", S::kHigh, F::kPrivilege, false,
     "set USER to a non-root uid (e.g. 65532)", &CheckRunsAsRoot},
    {"no-nonroot-user", "No non-root account in /etc/passwd", S::kLow, F::kPrivilege, false,
     "add an unprivileged account (e.g. nonroot:x:65532:65532) and run as it", &CheckNoNonrootUser},
    {"setuid", "Setuid file", S::kHigh, F::kPrivilege, false,
     "remove the file or its setuid bit (chmod u-s)", &CheckSetuid},
    {"setgid", "Setgid file", S::kMedium, F::kPrivilege, false,
     "remove the file or its setgid bit (chmod g-s)", &CheckSetgid},
    {"file-capabilities", "File with capabilities (security.capability)", S::kHigh, F::kPrivilege,
     false, "drop the file capability (setcap -r) and grant capabilities at run time if needed",
     &CheckCapabilities},
    {"world-writable", "World-writable file or directory", S::kMedium, F::kPrivilege, false,
     "chmod o-w (or make the directory sticky like /tmp)", &CheckWorldWritable},
    {"device-node", "Device node in the image", S::kMedium, F::kPrivilege, false,
     "remove it: the runtime provides /dev", &CheckDeviceNodes},
    // --- secrets
    {"secret-private-key", "Private key", S::kCritical, F::kSecret, false,
     "remove the key from every layer and rotate it; mount secrets at run time", &CheckSecrets},
    {"secret-aws-key", "AWS access key", S::kCritical, F::kSecret, false,
     "deactivate the key in IAM and remove it from every layer", &CheckSecrets},
    {"secret-gcp-service-account", "GCP service-account key", S::kCritical, F::kSecret, false,
     "delete the service-account key and remove the file from every layer", &CheckSecrets},
    {"secret-github-token", "GitHub token", S::kCritical, F::kSecret, false,
     "revoke the token; pass it as a build secret", &CheckSecrets},
    {"secret-gitlab-token", "GitLab token", S::kCritical, F::kSecret, false,
     "revoke the token; pass it as a build secret", &CheckSecrets},
    {"secret-slack-token", "Slack token or webhook", S::kHigh, F::kSecret, false,
     "revoke the token or webhook", &CheckSecrets},
    {"secret-npm-token", "npm auth token", S::kHigh, F::kSecret, false,
     "revoke the token; use a build secret instead of .npmrc in the image", &CheckSecrets},
    {"secret-docker-auth", "Registry credentials (docker config.json auths)", S::kCritical,
     F::kSecret, false, "remove the credentials file and change the password", &CheckSecrets},
    {"secret-dotenv", ".env file", S::kMedium, F::kSecret, false,
     "do not copy .env files into the image (.dockerignore)", &CheckDotenv},
    // --- blind spots
    {"no-package-db", "Files but no package database", S::kHigh, F::kBlindSpot, true,
     "keep the package database (e.g. status.d) so scanners can see what is installed",
     &CheckNoPackageDb},
    {"unowned-executable", "Executable no package owns", S::kHigh, F::kBlindSpot, true,
     "install it from a package, or record it in an SBOM", &CheckUnownedExecutables},
    {"unowned-files", "Files no package owns (unknown software)", S::kLow, F::kBlindSpot, false,
     "install software from packages, or record it in an SBOM", &CheckUnownedFiles},
    {"elf-missing-interpreter", "ELF program interpreter missing", S::kMedium, F::kBlindSpot, false,
     "add the dynamic loader (libc6) or build the program static", &CheckElfInterpreter},
    {"elf-missing-library", "ELF needed library missing", S::kMedium, F::kBlindSpot, false,
     "add the package that ships the library, or remove the program", &CheckElfLibraries},
    {"script-missing-interpreter", "Script whose #! interpreter is missing", S::kLow, F::kBlindSpot,
     false, "remove the script (it cannot run here)", &CheckScriptInterpreter},
    // --- hygiene
    {"shell-form-command", "ENTRYPOINT/CMD in shell form", S::kMedium, F::kHygiene, false,
     "use the exec form: ENTRYPOINT [\"/app\", \"arg\"]", &CheckShellForm},
    {"shell-healthcheck", "HEALTHCHECK runs a shell (CMD-SHELL)", S::kMedium, F::kHygiene, false,
     "use HEALTHCHECK CMD [\"/app\", \"health\"] (exec form)", &CheckShellHealthcheck},
    {"no-ca-bundle", "TLS library but no CA bundle", S::kLow, F::kHygiene, false,
     "add ca-certificates (etc/ssl/certs/ca-certificates.crt)", &CheckCaBundle},
    {"cache-apt-lists", "apt package lists left behind", S::kLow, F::kHygiene, false,
     "rm -rf /var/lib/apt/lists/* in the same layer as apt-get", &CheckAptLists},
    {"cache-pip", "pip cache left behind", S::kLow, F::kHygiene, false,
     "pip install --no-cache-dir", &CheckPipCache},
    {"cache-pycache", "__pycache__ directories", S::kInfo, F::kHygiene, false,
     "PYTHONDONTWRITEBYTECODE=1 at build time, or delete them", &CheckPycache},
    {"docs", "Documentation and man pages", S::kInfo, F::kHygiene, false,
     "exclude /usr/share/doc, man and info (dpkg path-exclude)", &CheckDocs},
};

}  // namespace

const std::vector<Rule>& Rules() { return kRules; }

const Rule* FindRule(std::string_view id) {
  for (const Rule& r : kRules)
    if (r.id == id) return &r;
  return nullptr;
}

std::string_view FamilyName(Family f) {
  switch (f) {
    case F::kShell:
      return "shell";
    case F::kPackageManager:
      return "package-manager";
    case F::kLotl:
      return "living-off-the-land";
    case F::kPrivilege:
      return "privilege";
    case F::kSecret:
      return "secret";
    case F::kBlindSpot:
      return "blind-spot";
    case F::kHygiene:
      return "hygiene";
  }
  return "";
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case S::kInfo:
      return "info";
    case S::kLow:
      return "low";
    case S::kMedium:
      return "medium";
    case S::kHigh:
      return "high";
    case S::kCritical:
      return "critical";
  }
  return "";
}

Result<Severity> ParseSeverity(std::string_view text) {
  std::string l;
  for (char c : text) l += AsciiLower(c);
  for (Severity v : {S::kInfo, S::kLow, S::kMedium, S::kHigh, S::kCritical})
    if (SeverityName(v) == l) return v;
  return Errorf("unknown severity \"{}\" (info, low, medium, high, critical)", text);
}

int SeverityCost(Severity s) {
  static constexpr int kCost[] = {0, 3, 10, 20, 30};
  return kCost[static_cast<int>(s)];
}

void Context::Prepare() {
  // Symlinks and hardlinks → the regular file they end at.
  for (const image::Entry& e : files.entries()) {
    if (e.type == image::FileType::kSymlink) {
      auto r = files.Resolve(e.path);
      link_targets[&e] = r.ok() && *r && (*r)->is_regular_like() ? *r : nullptr;
    } else if (e.type == image::FileType::kHardlink) {
      link_targets[&e] = files.Find(e.link);
    }
  }
  // Owned paths as the package database writes them ("/bin/sh"), and as the image holds them
  // (usr-merged: "usr/bin/sh", the directory part resolved).
  std::unordered_map<std::string, std::string> dir_cache;
  for (const catalog::Package& p : catalog.packages) {
    for (const catalog::OwnedFile& f : p.files) {
      owners.emplace(f.path, p.name);
      std::string dir(image::Dirname(f.path));
      auto [it, fresh] = dir_cache.try_emplace(dir, dir);
      if (fresh && !dir.empty()) {
        auto r = files.Resolve(dir);
        if (r.ok() && *r) it->second = (*r)->path;
      }
      if (it->second != dir)
        owners.emplace(it->second + "/" + std::string(image::Basename(f.path)), p.name);
    }
  }
}

std::string Context::OwnerOf(std::string_view path) const {
  auto it = owners.find(std::string(path));
  return it == owners.end() ? "" : it->second;
}

const image::Entry* Context::Target(const image::Entry& entry) const {
  if (entry.type == image::FileType::kRegular) return &entry;
  auto it = link_targets.find(&entry);
  if (it == link_targets.end() || !it->second) return nullptr;
  const image::Entry* t = it->second;
  if (t->type == image::FileType::kHardlink) t = files.Find(t->link);
  return t && t->type == image::FileType::kRegular ? t : nullptr;
}

Finding Config(const Rule& rule, std::string message, std::string evidence) {
  Finding f;
  f.rule_id = std::string(rule.id);
  f.severity = rule.severity;
  f.message = std::move(message);
  f.evidence = std::move(evidence);
  f.fix = std::string(rule.fix);
  return f;
}

Finding At(const Context& context, const Rule& rule, const image::Entry& entry, std::string message,
           std::string evidence) {
  Finding f = Config(rule, std::move(message), std::move(evidence));
  f.path = entry.path;
  f.layer = entry.layer;
  if (entry.layer >= 0 && static_cast<size_t>(entry.layer) < context.files.layer_digests().size())
    f.layer_digest = context.files.layer_digests()[entry.layer];
  f.package = context.OwnerOf(entry.path);
  return f;
}

bool IsExecutableFile(const image::Entry& entry) {
  return entry.type == image::FileType::kRegular && (entry.mode & 0111) != 0;
}

std::string FormatBytes(uint64_t b) { return HumanBytes(b); }

}  // namespace distill::audit
