#include "util/archive_data.h"

#include <archive.h>
#include <archive_entry.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <fmt/format.h>

namespace distill {
namespace {

// An ar member header (ar(5)): plain text, no checksum, so any size can be claimed.
std::string ArMember(std::string_view name, uint64_t claimed_size, std::string_view data) {
  return fmt::format("{:<16}{:<12}{:<6}{:<6}{:<8}{:<10}`\n", name, 0, 0, 0, 100644, claimed_size) +
         std::string(data);
}

struct Ar {
  explicit Ar(const std::string& bytes) : a(archive_read_new(), &archive_read_free) {
    archive_read_support_format_ar(a.get());
    EXPECT_EQ(archive_read_open_memory(a.get(), bytes.data(), bytes.size()), ARCHIVE_OK);
  }
  int64_t Next() {
    archive_entry* e;
    EXPECT_EQ(archive_read_next_header(a.get(), &e), ARCHIVE_OK) << archive_error_string(a.get());
    return archive_entry_size(e);
  }
  std::unique_ptr<archive, decltype(&archive_read_free)> a;
};

TEST(ArchiveDataTest, AHugeClaimCostsOnlyTheBytesThatArrive) {
  const std::string bytes = "!<arch>\n" + ArMember("big", 1'000'000'000, "only a few bytes");
  Ar ar(bytes);
  ASSERT_EQ(ar.Next(), 1'000'000'000);
  std::string out;
  auto got = ReadEntryData(ar.a.get(), 1'000'000'000, &out);
  ASSERT_FALSE(got.ok());  // libarchive's ar reader calls a short member an error
  EXPECT_EQ(got.error().message, "Truncated ar archive");
  EXPECT_LE(out.capacity(), 2u << 20);  // pre-sizing to the claim would hold 1 GB here
}

TEST(ArchiveDataTest, ReadsExactlyTheClaimAfterWhatIsThere) {
  std::string big(3 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 + i / 4096);
  const std::string bytes = "!<arch>\n" + ArMember("a", big.size(), big) + ArMember("b", 2, "ok");
  Ar ar(bytes);
  ASSERT_EQ(ar.Next(), static_cast<int64_t>(big.size()));
  std::string out = "prefix";
  auto got = ReadEntryData(ar.a.get(), big.size(), &out);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, big.size());
  EXPECT_EQ(out, "prefix" + big);
  ASSERT_EQ(ar.Next(), 2);  // the next member starts where the claim ended
  std::string next;
  EXPECT_EQ(ReadEntryData(ar.a.get(), 2, &next).value(), 2u);
  EXPECT_EQ(next, "ok");
}

TEST(ArchiveDataTest, SmallClaimIsAllocatedExactly) {
  const std::string bytes = "!<arch>\n" + ArMember("s", 5000, std::string(5000, 'x'));
  Ar ar(bytes);
  ar.Next();
  std::string out;
  EXPECT_EQ(ReadEntryData(ar.a.get(), 5000, &out).value(), 5000u);
  EXPECT_LT(out.capacity(), 5000u + 64);  // no doubling for contents within the trusted size
}

}  // namespace
}  // namespace distill
