#include "image/writer_gzip.h"

#include <libdeflate.h>
#include <zlib.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "image/decompress.h"
#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/digest.h"
#include "util/file.h"

namespace distill::image {
namespace {

// zlib reading every member in turn, as Go's gzip.Reader does (multistream is its default).
std::string ZlibGunzip(const std::string& gz) {
  std::string out;
  z_stream zs{};
  inflateInit2(&zs, 15 + 16);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  char buf[1 << 16];
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    int rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof(buf) - zs.avail_out);
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      inflateReset(&zs);
    } else if (rc != Z_OK) {
      out = "zlib error";
      break;
    }
  }
  inflateEnd(&zs);
  return out;
}

std::string Text(size_t lines) {
  std::string data;
  for (size_t i = 0; i < lines; ++i) data += fmt::format("line {} {}\n", i, i * 7919u % 1000);
  return data;
}

TEST(WriterGzipTest, MembersHaveNoNameNoTimeAndOsUnix) {
  std::string data(100000, 'x');
  std::string gz = GzipDeterministic(data);
  EXPECT_EQ(gz, GzipDeterministic(data));
  ASSERT_GT(gz.size(), 10u);
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  EXPECT_EQ(gz[3], 0);                               // FLG: no name, no comment, no extra
  EXPECT_EQ(gz.substr(4, 4), std::string(4, '\0'));  // MTIME 0
  EXPECT_EQ(gz[9], 3);                               // OS: unix
  EXPECT_EQ(ZlibGunzip(gz), data);
  EXPECT_LT(GzipDeterministic("", 6).size(), 30u);  // one empty member
  EXPECT_EQ(ZlibGunzip(GzipDeterministic("")), "");
}

TEST(WriterGzipTest, ManyMembersAreTheSameBytesForAnyThreadCount) {
  std::string data = Text(400000);  // ≈ 5 MiB: 5 or 6 members
  ASSERT_GT(GzipMembers(data.size()), 4u);
  std::string gz = GzipDeterministic(data, 6, 1);
  for (int t : {2, 3, 8, 0}) EXPECT_TRUE(gz == GzipDeterministic(data, 6, t)) << t << " threads";
  std::string joined;
  for (size_t i = 0; i < GzipMembers(data.size()); ++i) joined += GzipMember(data, i, 6);
  EXPECT_TRUE(joined == gz);
  EXPECT_LT(gz.size(), data.size() / 3);
  EXPECT_TRUE(ZlibGunzip(gz) == data);
  // distill's own layer reader, both backends, reads all members.
  for (GzipBackend b : {GzipBackend::kIsal, GzipBackend::kZlib}) {
    auto r = Decompress(std::make_unique<StringReader>(gz), Compression::kGzip, b);
    auto back = ReadAll(*r, 1u << 30, "layer");
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_TRUE(*back == data);
  }
  // GNU gzip (checks every member's CRC and length).
  std::string dir = distill::testing::TempDir();
  ASSERT_TRUE(WriteFileAtomic(dir + "/l.gz", gz).ok());
  int rc = 0;
  std::string sum = distill::testing::Shell("gzip -dc " + dir + "/l.gz | sha256sum", &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ("sha256:" + sum.substr(0, 64), Sha256Digest(data));
}

// The bytes are a function of the input and libdeflate's version only. This golden digest pins them
// for the version Debian 12 ships; a run on any CPU (with or without AVX2, PCLMUL, ...) must give
// it.
TEST(WriterGzipTest, GoldenBytesForThisLibdeflateVersion) {
  if (std::string(LIBDEFLATE_VERSION_STRING) != "1.14")
    GTEST_SKIP() << "libdeflate " << LIBDEFLATE_VERSION_STRING;
  std::string data = Text(300000);
  EXPECT_EQ(Sha256Digest(GzipDeterministic(data, 6)),
            "sha256:1f1ce2723adc1a34a8023a8df937d7f503f3cd486e059a997f35237a1ef7e6cb");
}

}  // namespace
}  // namespace distill::image
