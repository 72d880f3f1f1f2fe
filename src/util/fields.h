// Field tables: a struct's serialized fields declared once, as data, beside the struct, and read
// by every encoder and decoder of it (sbom/distill_json.cc and its decoder) instead of each
// spelling the list out again. A table is a constexpr std::tuple of entries, in output order:
//
//   inline constexpr auto kApkFields = std::tuple{
//       fields::Field("origin", &ApkMetadata::origin),
//       fields::Field("size", &ApkMetadata::size),
//   };
//
// The kind of a field (string, unsigned integer, list of strings, ...) is its member's type; the
// code that walks a table says what it does with each kind (`if constexpr`), so a kind it does not
// know is a compile error there, not a silent skip. CoversAllMembers() lets a static_assert beside
// the table fail when a member is added to the struct without an entry.
#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

namespace distill::fields {

// A member written under `key`.
template <class S, class M>
struct Field {
  using Struct = S;
  using Member = M;
  static constexpr int kMembers = 1;
  constexpr Field(const char* text, M S::*m) : key(text), member(m) {}
  const char* key;
  M S::*member;
};

// A value that may be absent, kept in two members (the value and whether it is there): written as
// the value, or as null when absent (rpm's epoch: none is not the same as 0).
template <class S, class M>
struct OptionalField {
  using Struct = S;
  using Member = M;
  static constexpr int kMembers = 2;
  constexpr OptionalField(const char* text, M S::*v, bool S::*p)
      : key(text), member(v), present(p) {}
  const char* key;
  M S::*member;
  bool S::*present;
};

// A string written only when it is not empty, and read only when its key is there (a field added to
// a format after its first version, e.g. distro.apkBranch).
template <class S, class M>
struct OmitEmptyField {
  using Struct = S;
  using Member = M;
  static constexpr int kMembers = 1;
  constexpr OmitEmptyField(const char* text, M S::*m) : key(text), member(m) {}
  const char* key;
  M S::*member;
};

template <class T>
inline constexpr bool kIsOptional = false;
template <class S, class M>
inline constexpr bool kIsOptional<OptionalField<S, M>> = true;
template <class T>
inline constexpr bool kIsOmitEmpty = false;
template <class S, class M>
inline constexpr bool kIsOmitEmpty<OmitEmptyField<S, M>> = true;

// Calls f(entry) for each entry of a table, in order.
template <class Table, class F>
constexpr void ForEach(const Table& table, F&& fn) {
  std::apply([&fn](const auto&... entry) { (fn(entry), ...); }, table);
}

namespace internal {

// Converts to any member type: S{AnyMember{}...} compiles for as many of them as S has members.
struct AnyMember {
  template <class T>
  constexpr operator T() const;  // NOLINT: declared only, for the unevaluated checks below
};

template <class S, class... A>
constexpr size_t MemberCount() {
  if constexpr (requires { S{A{}..., AnyMember{}}; })
    return MemberCount<S, A..., AnyMember>();
  else
    return sizeof...(A);
}

}  // namespace internal

// The number of data members of the aggregate S.
template <class S>
constexpr size_t MemberCount() {
  static_assert(std::is_aggregate_v<S>, "field tables describe aggregates");
  return internal::MemberCount<S>();
}

// Whether the table's entries account for every data member of S (each entry once per member).
template <class S, class Table>
constexpr bool CoversAllMembers(const Table& table) {
  size_t covered = 0;
  ForEach(table, [&covered](const auto& entry) {
    covered += std::remove_cvref_t<decltype(entry)>::kMembers;
  });
  return covered == MemberCount<S>();
}

}  // namespace distill::fields
