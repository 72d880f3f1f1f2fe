// Test helpers for the APK readers: the real packages and indexes under tests/fixtures/apk/
// (MANIFEST.md there says where each comes from), and surgery on their gzip members to make
// tampered copies (one byte changed in place, or a member re-made from an edited tar).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "image/writer_tar.h"
#include "imagebuild/apk/keyring.h"

namespace distill::imagebuild::apk::testing {

// Every entry of a tar stream (a gzip'd layer, or an .apk: its gzip members are one tar stream), by
// path, read by libarchive (an oracle independent of distill's readers). Entries whose name starts
// with '.' (an .apk's signature and control files) are left out.
std::map<std::string, image::TarItem> TarItems(std::string_view blob);
// "path type=0 mode=644 0:0 size=102 link= dev=0,0": what the golden comparisons compare.
std::string DescribeItem(const image::TarItem& t);
// Every difference between an image's entries and apko's golden ones: "missing PATH", "extra PATH",
// "ours DESCRIPTION / apko DESCRIPTION" (mode, owner, type, size, link, device or bytes differ).
std::vector<std::string> Differences(const std::map<std::string, image::TarItem>& ours,
                                     const std::map<std::string, image::TarItem>& golden);

// tests/fixtures/apk/<rel>.
std::string FixturePath(std::string_view rel);
std::string ReadFixture(std::string_view rel);
// The writer tests' files: the melange-built repository ("x86_64/...") and its public key are
// apko-e2e's copies; the private key and verify.py are in writer/.
std::string WriterFixture(const std::string& name);

// Keyring::Load of these key files or folders (absolute paths); throws on an error.
Keyring LoadKeyring(const std::vector<std::string>& paths);
// The same for paths under tests/fixtures/apk/.
Keyring FixtureKeyring(const std::vector<std::string>& rels);

// One gzip member of data (zlib, level 6).
std::string Gzip(std::string_view data);

// The file split into its gzip members (compressed bytes, decompressed bytes).
struct SplitMember {
  std::string compressed, tar;
};
std::vector<SplitMember> Split(std::string_view bytes);
// The file again, member i re-made from edit(its tar).
std::string Remake(std::string_view bytes, size_t i,
                   const std::function<void(std::string& tar)>& edit);
// Sets the 8-byte checksum field of the tar header at offset h (after editing the header).
void FixTarChecksum(std::string& tar, size_t h);

}  // namespace distill::imagebuild::apk::testing
