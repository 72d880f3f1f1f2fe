// Hygiene: commands that need a shell, TLS without trust anchors, caches and docs left behind.
#include "audit/checks.h"

namespace distill::audit {

namespace {

bool IsShellPath(const std::string& path) {
  std::string_view b = image::Basename(path);
  return b == "sh" || b == "bash" || b == "dash" || b == "ash" || b == "zsh" || b == "ksh";
}

std::string Argv(const nlohmann::json& value) { return value.dump().substr(0, 200); }

// One finding per kind of leftover: how many files and bytes under the matching paths.
template <typename Match>
void Leftovers(const Context& context, const Rule& rule, std::string_view what, Match match,
               std::vector<Finding>* out) {
  uint64_t n = 0, bytes = 0;
  const image::Entry* first = nullptr;
  for (const image::Entry& e : context.files.entries()) {
    if (!match(e)) continue;
    if (!first) first = &e;
    if (e.is_regular_like()) ++n, bytes += e.size;
  }
  if (!first || n == 0) return;
  Finding f =
      At(context, rule, *first, fmt::format("{}: {} files, {}", what, n, FormatBytes(bytes)));
  out->push_back(std::move(f));
}

}  // namespace

void CheckShellForm(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  if (!context.config.is_object()) return;
  for (const char* key : {"Entrypoint", "Cmd"}) {
    if (!context.config.contains(key)) continue;
    const auto& v = context.config[key];
    bool shell =
        v.is_string() || (v.is_array() && v.size() >= 2 && v[0].is_string() && v[1].is_string() &&
                          IsShellPath(v[0].get<std::string>()) && v[1].get<std::string>() == "-c");
    if (shell)
      out->push_back(Config(rule, fmt::format("{} runs through a shell", key),
                            fmt::format("config.{}={}", key, Argv(v))));
  }
}

void CheckShellHealthcheck(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  if (!context.config.is_object() || !context.config.contains("Healthcheck")) return;
  const auto& hc = context.config["Healthcheck"];
  if (!hc.is_object() || !hc.contains("Test") || !hc["Test"].is_array() || hc["Test"].empty())
    return;
  if (hc["Test"][0] == "CMD-SHELL")
    out->push_back(
        Config(rule, "HEALTHCHECK runs through a shell", "Healthcheck.Test=" + Argv(hc["Test"])));
}

void CheckCaBundle(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  const image::Entry* tls = nullptr;
  for (const image::Entry& e : context.files.entries()) {
    std::string_view b = image::Basename(e.path);
    if (e.is_regular_like() && (b.starts_with("libssl.so") || b.starts_with("libgnutls.so") ||
                                b.starts_with("libmbedtls.so") || b.starts_with("libwolfssl.so") ||
                                b.starts_with("libnss3.so"))) {
      tls = &e;
      break;
    }
  }
  if (!tls) return;
  for (const char* bundle :
       {"etc/ssl/certs/ca-certificates.crt", "etc/pki/tls/certs/ca-bundle.crt", "etc/ssl/cert.pem",
        "etc/ssl/ca-bundle.pem", "etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"}) {
    auto e = context.files.Resolve(bundle);
    if (e.ok() && *e && (*e)->is_regular_like()) return;
  }
  out->push_back(At(context, rule, *tls,
                    "TLS library present but no CA bundle: TLS connections cannot verify peers"));
}

void CheckAptLists(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  Leftovers(
      context, rule, "apt lists",
      [](const image::Entry& entry) {
        return entry.path.starts_with("var/lib/apt/lists/") &&
               entry.path != "var/lib/apt/lists/lock" &&
               !entry.path.starts_with("var/lib/apt/lists/partial");
      },
      out);
}

void CheckPipCache(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  Leftovers(
      context, rule, "pip cache",
      [](const image::Entry& entry) { return entry.path.find(".cache/pip/") != std::string::npos; },
      out);
}

void CheckPycache(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  Leftovers(
      context, rule, "__pycache__",
      [](const image::Entry& entry) {
        return entry.path.find("/__pycache__/") != std::string::npos;
      },
      out);
}

void CheckDocs(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  Leftovers(
      context, rule, "docs (usr/share/doc, man, info)",
      [](const image::Entry& entry) {
        return entry.path.starts_with("usr/share/doc/") ||
               entry.path.starts_with("usr/share/man/") ||
               entry.path.starts_with("usr/share/info/");
      },
      out);
}

}  // namespace distill::audit
