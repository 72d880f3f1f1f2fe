// A signed APKINDEX.tar.gz (apk-tools doc/apk-v2.5.scd): a signature gzip member of `.SIGN.*`
// entries, then one member whose tar holds DESCRIPTION and APKINDEX. The signatures cover the
// compressed bytes after the signature member. A `.SIGN` entry that is not in a first member of
// its own (stored after APKINDEX, as apko's odd test index has it) does not sign anything:
// apk-tools treats such an index as unsigned, and so does this reader. The APKINDEX text itself is
// parsed by index.h; this file only reads and verifies the container.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "imagebuild/apk/keyring.h"
#include "imagebuild/apk/members.h"
#include "imagebuild/apk/package.h"
#include "imagebuild/apk/signature.h"

namespace distill::imagebuild::apk {

struct SignedIndex {
  std::string file;                // the name errors use
  std::vector<ByteRange> members;  // compressed ranges, in order
  ByteRange signature_member;      // size 0 when unsigned
  std::vector<Signature> signatures;
  bool signature_not_first = false;  // .SIGN entries found after the index entries (ignored)
  ByteRange signed_range;            // every byte after the signature member
  std::string description;           // DESCRIPTION ("" when absent)
  std::string apkindex;              // the APKINDEX text
};

// Reads an index; the limits bound the decompressed size (Limits::max_data_tar for APKINDEX).
Result<SignedIndex> ReadSignedIndex(std::string_view bytes, std::string_view name,
                                    const Limits& limits = {});

Verification VerifyIndex(std::string_view bytes, const SignedIndex& index, const Keyring& keyring);

// ReadSignedIndex + VerifyIndex: an error unless at least one key of the keyring verifies it.
Result<SignedIndex> ReadVerifiedIndex(std::string_view bytes, std::string_view name,
                                      const Keyring& keyring, const Limits& limits = {});

// What an APK v2 file is, from its first entries: a package (.PKGINFO), an index (APKINDEX or
// DESCRIPTION), or neither (an error saying what was found).
enum class ApkFileKind { kPackage, kIndex };
Result<ApkFileKind> DetectApkFile(std::string_view bytes, const Limits& limits = {});

}  // namespace distill::imagebuild::apk
