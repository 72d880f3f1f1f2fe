// A repository's InRelease: its OpenPGP signature checked with gpgv against a keyring (as apt
// does), then the checksums of the index files it lists. Format:
// https://wiki.debian.org/DebianRepository/Format#A.22Release.22_files
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill::imagebuild::apt {

struct ReleaseFile {
  std::string path;  // relative to dists/SUITE/: "main/binary-amd64/Packages.xz"
  uint64_t size = 0;
  std::string sha256;  // hex
};

struct Release {
  std::string origin, label, suite, codename, date, valid_until;
  bool acquire_by_hash = false;
  bool all_in_arch_packages = false;  // "No-Support-for-Architecture-all: Packages"
  std::vector<std::string> architectures;
  std::vector<ReleaseFile> files;  // the SHA256 section, in order
  const ReleaseFile* Find(std::string_view path) const;
};

// Parses the (already verified) Release text. Errors name the line: "line 40: SHA256: expected
// 'HASH SIZE PATH'". A Release without a SHA256 section is refused (MD5/SHA1 are not trusted).
Result<Release> ParseRelease(std::string_view text);

// The signed text of a clearsigned InRelease as gpgv verified it (`gpgv --output -`): exit status 0
// and a VALIDSIG status line, or an error carrying gpgv's own words.
Result<std::string> VerifyInRelease(const std::string& inrelease_path, const std::string& keyring);

// The text between the clearsign armor lines, unverified: only for --allow-unsigned file: repos.
Result<std::string> ClearsignedText(std::string_view inrelease);

// Refuses a Release that is not the suite asked for (Suite: or Codename: must equal it, as apt
// checks), or whose Valid-Until has passed (check_valid_until; unix time now).
Status CheckReleaseFor(const Release& release, std::string_view suite, bool check_valid_until,
                       int64_t now);

// The default keyring: /usr/share/keyrings/debian-archive-keyring.gpg.
extern const char kDefaultKeyring[];

}  // namespace distill::imagebuild::apt
