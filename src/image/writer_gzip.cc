#include "image/writer_gzip.h"

#include <libdeflate.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace distill::image {

namespace {

struct CompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

// One compressor per thread and level (allocating one costs more than deflating a small chunk).
libdeflate_compressor* ThreadCompressor(int level) {
  thread_local std::unique_ptr<libdeflate_compressor, CompressorDeleter> c;
  thread_local int c_level = -1;
  if (!c || c_level != level) {
    c.reset(libdeflate_alloc_compressor(level));
    c_level = level;
  }
  return c.get();
}

void PutLe32(std::string* out, uint32_t v) {
  for (int b = 0; b < 4; ++b) out->push_back(static_cast<char>((v >> (8 * b)) & 0xff));
}

}  // namespace

std::string GzipEncoderId(int level) {
  return "libdeflate-" LIBDEFLATE_VERSION_STRING ".l" + std::to_string(std::clamp(level, 1, 12)) +
         ".c" + std::to_string(kGzipChunk >> 10) + "k.gz";
}

size_t GzipMembers(size_t size) {
  return std::max<size_t>(1, (size + kGzipChunk - 1) / kGzipChunk);
}

std::string GzipMember(std::string_view data, size_t i, int level) {
  level = std::clamp(level, 1, 12);
  size_t off = std::min(i * kGzipChunk, data.size());
  std::string_view chunk = data.substr(off, std::min(kGzipChunk, data.size() - off));
  libdeflate_compressor* c = ThreadCompressor(level);
  // Header: magic, deflate, no flags, mtime 0, XFL (2: best, 4: fastest), OS unix.
  std::string out = {
      '\x1f', '\x8b', 8, 0, 0, 0, 0, 0, static_cast<char>(level >= 9 ? 2 : level == 1 ? 4 : 0), 3};
  size_t head = out.size();
  out.resize(head + libdeflate_deflate_compress_bound(c, chunk.size()));
  size_t n = libdeflate_deflate_compress(c, chunk.data(), chunk.size(), out.data() + head,
                                         out.size() - head);
  out.resize(head + n);  // n > 0: the buffer has the bound's size
  PutLe32(&out, libdeflate_crc32(0, chunk.data(), chunk.size()));
  PutLe32(&out, static_cast<uint32_t>(chunk.size()));
  return out;
}

std::string GzipDeterministic(std::string_view data, int level, int threads) {
  size_t n = GzipMembers(data.size());
  std::vector<std::string> parts(n);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) parts[i] = GzipMember(data, i, level);
  };
  unsigned hw = threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::min<size_t>(hw, n); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  size_t total = 0;
  for (const auto& p : parts) total += p.size();
  std::string gz;
  gz.reserve(total);
  for (const auto& p : parts) gz += p;
  return gz;
}

}  // namespace distill::image
