// CompactString: a string that costs one pointer when empty and one exact allocation otherwise
// (a std::string is 32 bytes plus a heap block past 15 characters). For the fields that large
// per-file tables hold and most rows leave empty or short: link targets (image::Entry), recorded
// file digests (catalog::OwnedFile). Reads like a string_view; any bytes, NUL included (a digest
// decoded from an SBOM is outside input).
#pragma once

#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace distill {

class CompactString {
 public:
  CompactString() = default;
  CompactString(std::string_view text) { assign(text); }  // NOLINT: reads and assigns like a string
  CompactString(const char* text) : CompactString(std::string_view(text)) {}
  CompactString(const std::string& text) : CompactString(std::string_view(text)) {}
  CompactString(const CompactString& other) { assign(other.view()); }
  CompactString(CompactString&&) noexcept = default;
  CompactString& operator=(const CompactString& other) {
    if (this != &other) assign(other.view());
    return *this;
  }
  CompactString& operator=(CompactString&&) noexcept = default;

  void assign(std::string_view text) {
    if (text.empty()) return p_.reset();
    // The length, then the bytes, then a NUL for c_str().
    p_.reset(new char[sizeof(size_t) + text.size() + 1]);
    size_t n = text.size();
    std::memcpy(p_.get(), &n, sizeof n);
    std::memcpy(p_.get() + sizeof n, text.data(), n);
    p_[sizeof n + n] = '\0';
  }
  void assign(const char* data, size_t n) { assign(std::string_view(data, n)); }

  std::string_view view() const {
    if (!p_) return {};
    size_t n;
    std::memcpy(&n, p_.get(), sizeof n);
    return std::string_view(p_.get() + sizeof n, n);
  }
  operator std::string_view() const { return view(); }  // NOLINT
  std::string str() const { return std::string(view()); }
  const char* c_str() const { return p_ ? p_.get() + sizeof(size_t) : ""; }
  bool empty() const { return !p_; }
  size_t size() const { return view().size(); }
  char operator[](size_t i) const { return p_[sizeof(size_t) + i]; }
  bool operator==(const CompactString& other) const { return view() == other.view(); }
  bool operator==(std::string_view text) const { return view() == text; }
  bool operator==(const char* text) const { return view() == text; }
  bool operator==(const std::string& text) const { return view() == text; }

 private:
  std::unique_ptr<char[]> p_;  // size_t length, the bytes, NUL; null when empty
};

inline std::ostream& operator<<(std::ostream& os, const CompactString& value) {
  return os << value.view();
}

}  // namespace distill

template <>
struct fmt::formatter<distill::CompactString> : fmt::formatter<std::string_view> {
  auto format(const distill::CompactString& value, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(value.view(), ctx);
  }
};
