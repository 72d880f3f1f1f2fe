#include "catalog/rust/cataloger.h"

#include <zlib.h>
#include <nlohmann/json.hpp>

#include "catalog/language.h"
#include "util/elf.h"

namespace distill::catalog::rust {

namespace {

constexpr size_t kMaxJson = 8u << 20;  // a dependency list, never megabytes; bounds a zlib bomb

Result<std::string> Inflate(std::string_view in) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return InternalErrorf("zlib: inflateInit failed");
  std::string out;
  char buf[16384];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return Errorf(".dep-v0: zlib error {}", rc);
    }
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > kMaxJson) {
      inflateEnd(&z);
      return Errorf(".dep-v0: more than {} bytes decompressed", kMaxJson);
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) break;  // truncated input
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return Errorf(".dep-v0: truncated zlib stream");
  return out;
}

}  // namespace

Result<std::vector<Package>> ParseAuditJson(std::string_view json, const image::Location& where) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object() || !j.contains("packages") || !j["packages"].is_array())
    return Errorf(".dep-v0: expected a JSON object with a \"packages\" array");
  std::vector<Package> out;
  const auto& pkgs = j["packages"];
  for (const auto& p : pkgs) {
    if (!p.is_object() || !p.value("name", nlohmann::json()).is_string() ||
        !p.value("version", nlohmann::json()).is_string())
      continue;
    std::string name = p["name"], version = p["version"];
    std::string source =
        p.value("source", nlohmann::json()).is_string() ? p["source"].get<std::string>() : "";
    Package pkg = NewLanguagePackage(name, version, "rust-crate", kCatalogerName,
                                     Purl{"cargo", "", name, version, {}, ""}, where, source);
    if (p.contains("dependencies") && p["dependencies"].is_array())
      for (const auto& d : p["dependencies"])
        if (d.is_number_unsigned() && d.get<size_t>() < pkgs.size() &&
            pkgs[d.get<size_t>()].value("name", nlohmann::json()).is_string())
          pkg.depends_on.push_back(pkgs[d.get<size_t>()]["name"]);
    out.push_back(std::move(pkg));
  }
  return out;
}

Result<std::vector<Package>> PackagesOfBinary(std::string_view binary,
                                              const image::Location& where) {
  if (!elf::IsElf(binary)) return std::vector<Package>{};
  DISTILL_TRY(auto sec, elf::Section(binary, kAuditSection));
  if (!sec) return std::vector<Package>{};
  DISTILL_TRY(std::string json, Inflate(*sec));
  return ParseAuditJson(json, where);
}

std::vector<std::string> CargoLockGlobs() { return {"**/Cargo.lock"}; }

Result<std::vector<Package>> ParseCargoLock(std::string_view text, const image::Location& where) {
  std::vector<Package> out;
  for (auto& [name, version] : TomlPackages(text))
    out.push_back(NewLanguagePackage(name, version, "rust-crate", "rust-cargo-lock-cataloger",
                                     Purl{"cargo", "", name, version, {}, ""}, where));
  return out;
}

Found CatalogCargoLock(const image::FileIndex& files, const Distro&) {
  return CatalogDeclared(files, CargoLockGlobs(), &ParseCargoLock);
}

}  // namespace distill::catalog::rust
