#include "vuln/importers/zip.h"

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "util/file.h"

namespace distill::vuln::importers::zip {
namespace {

namespace fs = std::filesystem;

// Writes a zip with libarchive (an independent writer); `options` e.g. "zip:compression=store".
std::string MakeZip(const std::string& path, const std::map<std::string, std::string>& files,
                    const char* options) {
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  if (options) {
    EXPECT_EQ(archive_write_set_options(a, options), ARCHIVE_OK) << archive_error_string(a);
  }
  EXPECT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
  archive_entry* dir = archive_entry_new();
  archive_entry_set_pathname(dir, "advisories/");
  archive_entry_set_filetype(dir, AE_IFDIR);
  archive_entry_set_perm(dir, 0755);
  archive_write_header(a, dir);
  archive_entry_free(dir);
  for (const auto& [name, text] : files) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(text.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK);
    archive_write_data(a, text.data(), text.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return path;
}

class VulnZipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("distill-zip-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::map<std::string, std::string> ReadAll(const std::string& zip, Status* st) {
    std::map<std::string, std::string> out;
    *st = ForEachFile(
        zip, 1 << 20, [](std::string_view name) { return !name.ends_with(".skip"); },
        [&](std::string_view name, std::string_view text) -> Status {
          out[std::string(name)] = std::string(text);
          return {};
        });
    return out;
  }
  fs::path dir_;
};

TEST_F(VulnZipTest, StoredDeflatedAndZip64) {
  std::map<std::string, std::string> files = {
      {"advisories/a.json", "{\"id\": \"A\"}"},
      {"advisories/big.json", std::string(300000, 'x') + "y"},
      {"advisories/empty.json", ""},
      {"b.skip", "not wanted"}};
  for (const char* options : {"zip:compression=store", "zip:compression=deflate", "zip:zip64"}) {
    SCOPED_TRACE(options);
    std::string zip = MakeZip((dir_ / "t.zip").string(), files, options);
    EXPECT_TRUE(IsZip(zip));
    Status st;
    auto got = ReadAll(zip, &st);
    ASSERT_TRUE(st.ok()) << st.error().message;
    auto want = files;
    want.erase("b.skip");
    EXPECT_EQ(got, want);
  }
}

// Entries read from one window of the archive, or partly from it, give the bytes a read of each
// entry gives; so do a window too small to read and one too far away to hold them.
TEST_F(VulnZipTest, WindowReadsAgreeWithEntryReads) {
  std::map<std::string, std::string> files;
  for (int i = 0; i < 40; ++i)
    files[fmt::format("advisories/r{:02}.json", i)] =
        std::string(100 + i * 37, static_cast<char>('a' + i % 26));
  files["advisories/big.json"] = std::string(300000, 'x');
  for (const char* options : {"zip:compression=store", "zip:compression=deflate", "zip:zip64"}) {
    SCOPED_TRACE(options);
    std::string zip = MakeZip((dir_ / "w.zip").string(), files, options);
    auto archive = Archive::Open(zip);
    ASSERT_TRUE(archive.ok());
    std::vector<const Entry*> all, half;
    for (const Entry& e : (*archive)->entries())
      if (e.is_file()) all.push_back(&e);
    half.assign(all.begin(), all.begin() + all.size() / 2);
    std::vector<Archive::Window> windows;
    windows.push_back((*archive)->ReadWindow(all, 8 << 20));
    windows.push_back((*archive)->ReadWindow(half, 8 << 20));  // the rest is read entry by entry
    windows.push_back((*archive)->ReadWindow(all, 1000));      // too long: empty
    EXPECT_FALSE(windows[0].bytes.empty());
    EXPECT_TRUE(windows[2].bytes.empty());
    for (const Archive::Window& w : windows) {
      std::string buffer;
      std::vector<uint8_t> scratch;
      for (const Entry* e : all) {
        auto got = (*archive)->ReadPadded(*e, 1 << 20, buffer, scratch, &w);
        ASSERT_TRUE(got.ok()) << e->name << ": " << got.error().message;
        EXPECT_EQ(*got, files.at(e->name)) << e->name;
      }
    }
  }
}

TEST_F(VulnZipTest, CorruptionIsAnError) {
  std::string zip = MakeZip((dir_ / "t.zip").string(), {{"a.json", std::string(1000, 'a')}},
                            "zip:compression=store");
  std::string bytes = ReadFile(zip).value();
  size_t at = bytes.find(std::string(1000, 'a'));
  ASSERT_NE(at, std::string::npos);
  bytes[at + 10] = 'b';
  ASSERT_TRUE(WriteFileAtomic(zip, bytes).ok());
  Status st;
  ReadAll(zip, &st);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, zip + ": a.json: CRC mismatch (archive corrupt)");
  ASSERT_TRUE(WriteFileAtomic(zip, bytes.substr(0, bytes.size() / 2)).ok());
  ReadAll(zip, &st);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, zip + ": not a zip archive (no end of central directory)");
  ASSERT_TRUE(WriteFileAtomic(zip, "PK").ok());
  EXPECT_FALSE(IsZip(zip));
}

}  // namespace
}  // namespace distill::vuln::importers::zip
