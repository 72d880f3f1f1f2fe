#include "imagebuild/apk/signed_index.h"

namespace distill::imagebuild::apk {

namespace {

Status ReadIndexTar(std::string_view tar, const Limits& limits, SignedIndex* idx,
                    bool* have_index) {
  return ReadTar(
      tar, limits.max_entries, [&](const TarEntry& e, std::string_view content) -> Status {
        Signature s;
        if (ParseSignatureName(e.path, &s)) {
          idx->signature_not_first = true;  // signs nothing: not in a member of its own, first
        } else if (e.path == "APKINDEX") {
          if (*have_index) return Errorf("two APKINDEX entries");
          *have_index = true;
          idx->apkindex = content;
        } else if (e.path == "DESCRIPTION") {
          idx->description = content;
        }
        return {};
      });
}

Status ReadIndexInto(std::string_view bytes, const Limits& limits, SignedIndex* idx) {
  uint64_t pos = 0;
  std::string tar;
  bool have_index = false;
  while (pos < bytes.size()) {
    if (idx->members.size() >= limits.max_members)
      return Errorf("more than {} gzip members", limits.max_members);
    tar.clear();
    auto m = InflateMember(bytes, pos, &tar, limits.max_data_tar);
    if (!m.ok())
      return std::move(m).error().wrap(fmt::format("gzip member {}", idx->members.size() + 1));
    bool first = idx->members.empty();
    idx->members.push_back(*m);
    pos = m->end();
    if (first && FirstTarPath(tar).starts_with(".SIGN.")) {
      std::vector<Signature> sigs;
      auto st = ReadTar(tar, limits.max_entries,
                        [&](const TarEntry& e, std::string_view content) -> Status {
                          Signature s;
                          if (!ParseSignatureName(e.path, &s))
                            return Errorf("holds '{}', not a .SIGN entry", e.path);
                          s.bytes = content;
                          sigs.push_back(std::move(s));
                          return {};
                        });
      if (!st.ok())
        return std::move(st).error().wrap(fmt::format("signature member ({})", Describe(*m)));
      idx->signature_member = *m;
      idx->signatures = std::move(sigs);
      continue;
    }
    auto st = ReadIndexTar(tar, limits, idx, &have_index);
    if (!st.ok()) return std::move(st).error().wrap(fmt::format("index member ({})", Describe(*m)));
  }
  if (!have_index) return Errorf("no APKINDEX entry");
  uint64_t start = idx->signature_member.end();
  idx->signed_range = {start, bytes.size() - start};
  return {};
}

}  // namespace

Result<SignedIndex> ReadSignedIndex(std::string_view bytes, std::string_view name,
                                    const Limits& limits) {
  SignedIndex idx;
  idx.file = name;
  auto st = ReadIndexInto(bytes, limits, &idx);
  if (!st.ok()) return std::move(st).error().wrap(name);
  return idx;
}

Verification VerifyIndex(std::string_view bytes, const SignedIndex& index, const Keyring& keyring) {
  std::string what =
      fmt::format("bytes after the signature member ({})", Describe(index.signed_range));
  Verification v = VerifySignatures(index.signatures, index.signed_range.of(bytes), what, keyring);
  if (index.signatures.empty() && index.signature_not_first)
    v.reason =
        "unsigned: its .SIGN entry is stored after APKINDEX, not in a first gzip member of its own "
        "(apk-tools treats such an index as unsigned)";
  return v;
}

Result<SignedIndex> ReadVerifiedIndex(std::string_view bytes, std::string_view name,
                                      const Keyring& keyring, const Limits& limits) {
  DISTILL_TRY(SignedIndex idx, ReadSignedIndex(bytes, name, limits));
  DISTILL_TRY_VOID(RequireVerified(VerifyIndex(bytes, idx, keyring), name));
  return idx;
}

Result<ApkFileKind> DetectApkFile(std::string_view bytes, const Limits& limits) {
  uint64_t pos = 0;
  for (int member = 1; member <= 2 && pos < bytes.size(); ++member) {
    DISTILL_TRY(std::string prefix, InflatePrefix(bytes, pos, 64 << 10));
    std::string first = FirstTarPath(prefix);
    if (first == ".PKGINFO") return ApkFileKind::kPackage;
    if (first == "APKINDEX" || first == "DESCRIPTION") return ApkFileKind::kIndex;
    if (!first.starts_with(".SIGN.")) {
      if (first.empty()) return Errorf("not an APK: no tar entry in gzip member {}", member);
      return Errorf("not an APK package or index: gzip member {} starts with '{}'", member, first);
    }
    // The signature member is small: inflate it whole to find where the next member starts.
    DISTILL_TRY(ByteRange m, InflateMember(bytes, pos, nullptr, limits.max_signature_member));
    pos = m.end();
  }
  return Errorf("not an APK package or index: no .PKGINFO or APKINDEX after the signatures");
}

}  // namespace distill::imagebuild::apk
