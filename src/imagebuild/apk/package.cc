#include "imagebuild/apk/package.h"

#include "imagebuild/apk/checksum.h"

namespace distill::imagebuild::apk {

namespace {

// Inflates the member at offset into *out, naming it in errors ("control member: ...").
Result<ByteRange> Member(std::string_view bytes, uint64_t offset, std::string* out, uint64_t max,
                         std::string_view what, Package* pkg, const Limits& limits) {
  if (pkg->members.size() >= limits.max_members)
    return Errorf("more than {} gzip members", limits.max_members);
  auto r = InflateMember(bytes, offset, out, max);
  if (!r.ok()) return std::move(r).error().wrap(what);
  pkg->members.push_back(*r);
  return r;
}

// The .SIGN entries of a signature member; an error if it holds anything else.
Status ReadSignatures(std::string_view tar, const Limits& limits, std::vector<Signature>* out) {
  return ReadTar(tar, limits.max_entries,
                 [&](const TarEntry& e, std::string_view content) -> Status {
                   Signature s;
                   if (!ParseSignatureName(e.path, &s))
                     return Errorf("holds '{}', not a .SIGN entry", e.path);
                   s.bytes = content;
                   out->push_back(std::move(s));
                   return {};
                 });
}

Status ReadControl(std::string_view tar, const Limits& limits, Package* pkg) {
  bool have_pkginfo = false;
  DISTILL_TRY_VOID(
      ReadTar(tar, limits.max_entries, [&](const TarEntry& e, std::string_view content) -> Status {
        if (e.path.starts_with(".SIGN."))
          return {};  // stored after the control files: not a signature
        if (!e.path.starts_with('.') || e.path.find('/') != std::string::npos)
          return Errorf("holds '{}', not a control file", e.path);
        if (e.type != image::TarItem::Type::kFile)
          return Errorf("{} is not a regular file", e.path);
        if (e.path == ".PKGINFO") {
          if (have_pkginfo) return Errorf("two .PKGINFO entries");
          have_pkginfo = true;
          pkg->pkginfo_text = content;
        } else {
          pkg->scripts.push_back({e.path, std::string(content)});
        }
        return {};
      }));
  if (!have_pkginfo) return Errorf("no .PKGINFO");
  DISTILL_TRY(pkg->info, ParsePkgInfo(pkg->pkginfo_text));
  return {};
}

Status CheckFile(const TarEntry& e, std::string_view content) {
  if (e.sha1.empty()) return {};
  std::string got;
  if (e.type == image::TarItem::Type::kFile)
    got = Sha1Hex(content);
  else if (e.type == image::TarItem::Type::kSymlink)
    got = Sha1Hex(e.link);
  else
    return {};
  if (got != e.sha1) {
    const char* of = e.type == image::TarItem::Type::kSymlink ? "its target" : "its content";
    return Errorf("{}: APK-TOOLS.checksum.SHA1 says {}, {} hashes to {}", e.path, e.sha1, of, got);
  }
  return {};
}

Status ReadData(const Limits& limits, Package* pkg) {
  return ReadTar(pkg->data_tar, limits.max_entries,
                 [&](const TarEntry& e, std::string_view content) -> Status {
                   if (e.path.empty()) return {};  // "./"
                   DISTILL_TRY_VOID(CheckFile(e, content));
                   pkg->files.push_back(e);
                   return {};
                 });
}

Status ReadPackageInto(std::string_view bytes, const ReadOptions& opt, Package* pkg) {
  const Limits& limits = opt.limits;
  std::string first, control;
  DISTILL_TRY(ByteRange m0, Member(bytes, 0, &first, limits.max_control_member, "first gzip member",
                                   pkg, limits));
  ByteRange control_range = m0;
  if (FirstTarPath(first).starts_with(".SIGN.")) {
    pkg->signature_member = m0;
    if (first.size() > limits.max_signature_member)
      return Errorf("signature member ({}): larger than {} bytes", Describe(m0),
                    limits.max_signature_member);
    auto st = ReadSignatures(first, limits, &pkg->signatures);
    if (!st.ok())
      return std::move(st).error().wrap(fmt::format("signature member ({})", Describe(m0)));
    if (m0.end() >= bytes.size()) return Errorf("no control member after the signature member");
    DISTILL_TRY(control_range, Member(bytes, m0.end(), &control, limits.max_control_member,
                                      "control member", pkg, limits));
  } else {
    control = std::move(first);
  }
  pkg->control_member = control_range;
  auto st = ReadControl(control, limits, pkg);
  if (!st.ok())
    return std::move(st).error().wrap(fmt::format("control member ({})", Describe(control_range)));
  pkg->identity = ApkIdentity(control_range.of(bytes));

  uint64_t start = control_range.end();
  if (start >= bytes.size()) return Errorf("no data member after the control member");
  pkg->data_member = {start, bytes.size() - start};
  for (uint64_t pos = start; opt.files && pos < bytes.size();) {
    uint64_t room = limits.max_data_tar - pkg->data_tar.size();
    DISTILL_TRY(ByteRange m, Member(bytes, pos, &pkg->data_tar, room, "data member", pkg, limits));
    pos = m.end();
  }
  pkg->data_sha256 = Sha256Hex(pkg->data_member.of(bytes));
  const std::string& want = pkg->info.datahash;
  if (!want.empty() && want != pkg->data_sha256)
    return Errorf("datahash mismatch: .PKGINFO says {}, the data member ({}) hashes to {}", want,
                  Describe(pkg->data_member), pkg->data_sha256);
  if (want.empty()) {
    pkg->signed_range = {control_range.offset, bytes.size() - control_range.offset};
    pkg->signed_what = fmt::format("control and data members ({})", Describe(pkg->signed_range));
  } else {
    pkg->signed_range = control_range;
    pkg->signed_what = fmt::format("control member ({})", Describe(control_range));
  }
  if (opt.files) {
    auto data = ReadData(limits, pkg);
    if (!data.ok())
      return std::move(data).error().wrap(
          fmt::format("data member ({})", Describe(pkg->data_member)));
  }
  return {};
}

}  // namespace

Result<Package> ReadPackage(std::string_view bytes, std::string_view name, const ReadOptions& opt) {
  Package pkg;
  pkg.file = name;
  auto st = ReadPackageInto(bytes, opt, &pkg);
  if (!st.ok()) return std::move(st).error().wrap(name);
  return pkg;
}

Verification VerifyPackage(std::string_view bytes, const Package& pkg, const Keyring& keyring) {
  return VerifySignatures(pkg.signatures, pkg.signed_range.of(bytes), pkg.signed_what, keyring);
}

Result<Package> ReadVerifiedPackage(std::string_view bytes, std::string_view name,
                                    const Keyring& keyring, const ReadOptions& opt) {
  DISTILL_TRY(Package pkg, ReadPackage(bytes, name, opt));
  DISTILL_TRY_VOID(RequireVerified(VerifyPackage(bytes, pkg, keyring), name));
  return pkg;
}

}  // namespace distill::imagebuild::apk
