#include "image/async_reader.h"

#include <gtest/gtest.h>

namespace distill::image {
namespace {

class FailingReader : public ByteStream {
 public:
  Result<size_t> Read(void* buf, size_t n) override {
    if (calls_++ < 3) {
      std::memset(buf, 'a', std::min<size_t>(n, 100));
      return std::min<size_t>(n, 100);
    }
    return Errorf("boom after {} calls", calls_ - 1);
  }
  int calls_ = 0;
};

TEST(AsyncReaderTest, PassesBytesInOrder) {
  std::string data;
  for (int i = 0; i < 300000; ++i) data += static_cast<char>('a' + i % 26);
  AsyncReader r(std::make_unique<StringReader>(data), 4096, 3);
  auto all = ReadAll(r, 1 << 20, "test");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, data);
}

TEST(AsyncReaderTest, PropagatesErrorsAfterTheData) {
  AsyncReader r(std::make_unique<FailingReader>(), 1000, 2);
  auto all = ReadAll(r, 1 << 20, "test");
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.error().message, "boom after 3 calls");
}

TEST(AsyncReaderTest, DestroyWhileProducing) {
  std::string data(1 << 20, 'x');
  AsyncReader r(std::make_unique<StringReader>(data), 1024, 2);
  char buf[10];
  EXPECT_EQ(*r.Read(buf, sizeof buf), 10u);
}  // the destructor stops and joins the producer

}  // namespace
}  // namespace distill::image
