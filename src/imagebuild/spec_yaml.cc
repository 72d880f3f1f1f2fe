#include "imagebuild/spec_yaml.h"

#include <charconv>

namespace distill::imagebuild::yaml {

Error Ctx::At(const YAML::Node& n, std::string_view msg) const {
  auto m = n.Mark();
  if (m.is_null()) return Errorf("{}: {}", file, msg);
  return Errorf("{}:{}:{}: {}", file, m.line + 1, m.column + 1, msg);
}

std::string Ctx::Where(const YAML::Node& n) const {
  auto m = n.Mark();
  if (m.is_null()) return file;
  return fmt::format("{}:{}:{}", file, m.line + 1, m.column + 1);
}

Result<std::string> Str(const Ctx& c, const YAML::Node& n, std::string_view field) {
  if (!n.IsScalar()) return c.At(n, fmt::format("field \"{}\": expected a string", field));
  return n.as<std::string>();
}

Result<bool> Bool(const Ctx& c, const YAML::Node& n, std::string_view field) {
  std::string s = n.IsScalar() ? n.Scalar() : "";
  if (s == "true" || s == "yes") return true;
  if (s == "false" || s == "no") return false;
  return c.At(n, fmt::format("field \"{}\": expected true or false", field));
}

Result<uint32_t> Uint(const Ctx& c, const YAML::Node& n, std::string_view field, int base) {
  std::string s = n.IsScalar() ? n.Scalar() : "";
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size())
    return c.At(n, fmt::format("field \"{}\": expected a {} number, got '{}'", field,
                               base == 8 ? "octal" : "non-negative", s));
  return v;
}

Result<std::vector<std::string>> StrList(const Ctx& c, const YAML::Node& n,
                                         std::string_view field) {
  if (n.IsScalar()) return std::vector<std::string>{n.Scalar()};
  if (!n.IsSequence())
    return c.At(n, fmt::format("field \"{}\": expected a list of strings", field));
  std::vector<std::string> out;
  for (const auto& item : n) {
    DISTILL_TRY(std::string s, Str(c, item, field));
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::map<std::string, std::string>> StrMap(const Ctx& c, const YAML::Node& n,
                                                  std::string_view field) {
  if (!n.IsMap()) return c.At(n, fmt::format("field \"{}\": expected a map of strings", field));
  std::map<std::string, std::string> out;
  for (const auto& kv : n) {
    DISTILL_TRY(std::string k, Str(c, kv.first, field));
    DISTILL_TRY(std::string v, Str(c, kv.second, std::string(field) + "." + k));
    out[k] = v;
  }
  return out;
}

Status CheckKeys(const Ctx& c, const YAML::Node& n, std::string_view what,
                 const std::set<std::string>& allowed) {
  for (const auto& kv : n) {
    std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "";
    if (!allowed.contains(k)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return c.At(kv.first, fmt::format("unknown field \"{}\" in {} (known: {})", k, what, list));
    }
  }
  return {};
}

}  // namespace distill::imagebuild::yaml
