// The checksums of APK v2 packages (apk-tools doc/apk-v2.5.scd): the "Q1…" identity of a package
// (the C: field of APKINDEX and of the installed database, apko's lock "checksum"), the hex SHA-1
// of the data tar's APK-TOOLS.checksum.SHA1 PAX records and the hex SHA-256 of `datahash`.
#pragma once

#include <string>
#include <string_view>

namespace distill::imagebuild::apk {

// "Q1" + base64(SHA-1(the compressed bytes of the control gzip member)).
std::string ApkIdentity(std::string_view compressed_control_member);
// Lowercase hex SHA-1 / SHA-256 of bytes.
std::string Sha1Hex(std::string_view bytes);
std::string Sha256Hex(std::string_view bytes);
// Standard base64 with padding.
std::string Base64(std::string_view bytes);

}  // namespace distill::imagebuild::apk
