// inflate_bench FILE.gz — gzip decompression throughput of the candidates for the layer reader:
// zlib (streaming), isa-l igzip (streaming) and libdeflate (whole buffer only: it cannot stream).
// Prints the median of 5 runs for each, in MB/s of output. Run by bench/inflate.sh.
#include <libdeflate.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "image/byte_stream.h"
#include "image/decompress.h"
#include "util/file.h"

using namespace distill;

template <typename F>
double MedianSeconds(F f) {
  std::vector<double> t;
  for (int i = 0; i < 5; ++i) {
    auto a = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count());
  }
  std::sort(t.begin(), t.end());
  return t[2];
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: inflate_bench FILE.gz\n");
    return 2;
  }
  auto gz = ReadFile(argv[1], 4ull << 30);
  if (!gz.ok()) {
    std::fprintf(stderr, "%s\n", gz.error().message.c_str());
    return 2;
  }
  uint64_t out_size = 0;
  auto stream = [&](image::GzipBackend b) {
    auto r =
        image::Decompress(std::make_unique<image::StringReader>(*gz), image::Compression::kGzip, b);
    std::vector<char> buf(1 << 20);
    uint64_t total = 0;
    for (;;) {
      auto n = r->Read(buf.data(), buf.size());
      if (!n.ok() || *n == 0) break;
      total += *n;
    }
    out_size = total;
  };
  double zlib = MedianSeconds([&] { stream(image::GzipBackend::kZlib); });
  double isal = MedianSeconds([&] { stream(image::GzipBackend::kIsal); });
  std::vector<char> out(out_size);
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  double deflate = MedianSeconds([&] {
    size_t got = 0;
    libdeflate_gzip_decompress(d, gz->data(), gz->size(), out.data(), out.size(), &got);
  });
  libdeflate_free_decompressor(d);
  double mb = out_size / 1e6;
  std::printf("input %.1f MB gzip -> %.1f MB\n", gz->size() / 1e6, mb);
  std::printf("zlib        %7.0f MB/s  (streaming)\n", mb / zlib);
  std::printf("isa-l igzip %7.0f MB/s  (streaming)   %.2fx zlib\n", mb / isal, zlib / isal);
  std::printf("libdeflate  %7.0f MB/s  (whole buffer: needs the layer in memory)   %.2fx zlib\n",
              mb / deflate, zlib / deflate);
  return 0;
}
