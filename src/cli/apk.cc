// `distill apk`: the APK v2 command group (doc/build-apk.md): keygen, pack and index (apk_pack.cc),
// and `apk verify FILE... --keyring PUB...` here. For
// each package or APKINDEX.tar.gz (told apart by content): its identity, the key that verified it,
// or why nothing did. Exit 0 only when every file verifies, 1 when one does not, 2 when a file or
// key cannot be read.
#include <cctype>

#include <nlohmann/json.hpp>

#include "cli/apk_pack.h"
#include "cli/commands.h"
#include "imagebuild/apk/package.h"
#include "imagebuild/apk/signed_index.h"
#include "util/file.h"

namespace distill::cli {

namespace {

namespace apk = imagebuild::apk;

struct VerifyFlags {
  std::vector<std::string> files, keyring;
  std::string output = "table";
  bool json = false;
};

constexpr uint64_t kMaxApkFile = 4ull << 30;

// What `apk verify` found for one file.
struct Checked {
  std::string file, kind;  // kind: "package", "index" or "" (unreadable)
  std::string what;        // "alpine-baselayout 3.2.0-r23 aarch64" / "v3.16.3-… (4929 packages)"
  nlohmann::json details = nlohmann::json::object();
  apk::Verification verification;
  std::string error;  // a read or integrity error (then verification is not meaningful)
  bool io_error = false;
  bool ok() const { return error.empty() && verification.ok(); }
};

size_t CountIndexEntries(std::string_view text) {
  size_t n = text.starts_with("P:") ? 1 : 0;
  for (size_t at = 0; (at = text.find("\nP:", at)) != std::string_view::npos; ++at) ++n;
  return n;
}

void CheckPackage(std::string_view bytes, const apk::Keyring& keys, Checked* c) {
  auto pkg = apk::ReadPackage(bytes, c->file);
  if (!pkg.ok()) {
    c->error = pkg.error().message;
    return;
  }
  const auto& i = pkg->info;
  c->what = fmt::format("{} {} {} {}", i.pkgname, i.pkgver, i.arch, pkg->identity);
  c->details = {
      {"name", i.pkgname},         {"version", i.pkgver},          {"arch", i.arch},
      {"identity", pkg->identity}, {"datahash", pkg->data_sha256}, {"files", pkg->files.size()}};
  c->verification = apk::VerifyPackage(bytes, *pkg, keys);
}

void CheckIndex(std::string_view bytes, const apk::Keyring& keys, Checked* c) {
  auto idx = apk::ReadSignedIndex(bytes, c->file);
  if (!idx.ok()) {
    c->error = idx.error().message;
    return;
  }
  size_t n = CountIndexEntries(idx->apkindex);
  std::string_view description = idx->description;
  while (!description.empty() && std::isspace(static_cast<unsigned char>(description.back())))
    description.remove_suffix(1);
  c->what = description.empty() ? fmt::format("({} packages)", n)
                                : fmt::format("{} ({} packages)", description, n);
  c->details = {{"description", description}, {"packages", n}};
  c->verification = apk::VerifyIndex(bytes, *idx, keys);
}

Checked CheckFile(const std::string& path, const apk::Keyring& keys) {
  Checked c;
  c.file = path;
  auto bytes = FileBytes::Map(path, kMaxApkFile);
  if (!bytes.ok()) {
    c.error = bytes.error().message;
    c.io_error = true;
    return c;
  }
  auto kind = apk::DetectApkFile(bytes->view());
  if (!kind.ok()) {
    c.error = kind.error().wrap(path).message;
    return c;
  }
  c.kind = *kind == apk::ApkFileKind::kPackage ? "package" : "index";
  if (*kind == apk::ApkFileKind::kPackage)
    CheckPackage(bytes->view(), keys, &c);
  else
    CheckIndex(bytes->view(), keys, &c);
  return c;
}

std::string_view VerdictOf(const Checked& c) {
  if (!c.error.empty()) return c.io_error ? "unreadable" : "invalid";
  return apk::VerdictName(c.verification.verdict);
}

nlohmann::json CheckedJson(const Checked& c) {
  nlohmann::json j = {
      {"file", c.file}, {"kind", c.kind}, {"verified", c.ok()}, {"verdict", VerdictOf(c)}};
  j.update(c.details);
  if (!c.error.empty()) {
    j["error"] = c.error;
    return j;
  }
  const auto& v = c.verification;
  if (v.ok()) {
    j["key"] = v.key;
    j["key_path"] = v.key_path;
  } else {
    j["reason"] = v.reason;
  }
  nlohmann::json sigs = nlohmann::json::array();
  for (const auto& s : v.checks)
    sigs.push_back({{"entry", s.entry},
                    {"verdict", apk::VerdictName(s.verdict)},
                    {"key", s.key},
                    {"detail", s.detail}});
  j["signatures"] = sigs;
  return j;
}

void PrintLine(const Checked& c) {
  if (!c.error.empty()) {
    fmt::print("FAIL  {}\n", c.error);
    return;
  }
  const auto& v = c.verification;
  if (v.ok()) {
    fmt::print("OK    {}: {} {}: verified by {}\n", c.file, c.kind, c.what, v.key);
  } else {
    fmt::print("FAIL  {}: {} {}: {}\n", c.file, c.kind, c.what, v.reason);
  }
}

int RunVerify(const VerifyFlags& f) {
  auto keys = apk::Keyring::Load(f.keyring);
  if (!keys.ok()) return ReportError(keys.error());
  std::vector<Checked> all;
  for (const auto& file : f.files) all.push_back(CheckFile(file, *keys));
  size_t verified = 0;
  bool io_error = false;
  for (const auto& c : all) {
    verified += c.ok();
    io_error = io_error || c.io_error;
  }
  if (f.json || f.output == "json") {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& c : all) files.push_back(CheckedJson(c));
    nlohmann::json out = {{"files", files},
                          {"verified", verified},
                          {"total", all.size()},
                          {"keys", keys->keys().size()}};
    fmt::print("{}\n", out.dump(2));
  } else {
    for (const auto& c : all) PrintLine(c);
    fmt::print("{} of {} verified ({} keys in the keyring)\n", verified, all.size(),
               keys->keys().size());
  }
  if (io_error) return kExitBadInput;
  return verified == all.size() ? kExitOk : kExitPolicy;
}

}  // namespace

RunFn SetupApk(CLI::App& sub, const Globals& g) {
  sub.require_subcommand(1);
  auto vf = std::make_shared<VerifyFlags>();
  CLI::App* verify = sub.add_subcommand("verify",
                                        "Check APK packages and APKINDEX.tar.gz files: signatures "
                                        "(by key bytes), datahash, file checksums");
  verify
      ->add_option("files", vf->files,
                   "Packages (.apk) and indexes (APKINDEX.tar.gz), told apart by content")
      ->required();
  verify
      ->add_option("--keyring", vf->keyring,
                   "Public key files (PEM) or folders of *.pub keys (repeatable)")
      ->allow_extra_args(true);
  verify->add_option("-o,--output", vf->output, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  verify->add_flag("--json", vf->json, "Same as -o json");
  auto pack = AddApkPackCommands(sub);  // keygen, pack, index (cli/apk_pack.cc)
  return [vf, verify, pack] {
    if (verify->parsed()) return RunVerify(*vf);
    return pack().value_or(kExitBadInput);
  };
}

}  // namespace distill::cli
