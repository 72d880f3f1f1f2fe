#include "vuln/db/compress.h"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "util/heap.h"

namespace distill::vuln {

namespace {

ZSTD_CCtx* Ctx(void* handle) { return static_cast<ZSTD_CCtx*>(handle); }

}  // namespace

Result<std::unique_ptr<ZstdCompressor>> ZstdCompressor::Create(Sink sink, int level, int threads) {
  std::unique_ptr<ZstdCompressor> z(new ZstdCompressor);
  z->cctx_ = ZSTD_createCCtx();
  if (!z->cctx_) return InternalErrorf("zstd: out of memory");
  z->sink_ = std::move(sink);
  z->out_.resize(ZSTD_CStreamOutSize());
  ZSTD_CCtx_setParameter(Ctx(z->cctx_), ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(Ctx(z->cctx_), ZSTD_c_checksumFlag, 1);
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // (An error here means a libzstd built without threads: it compresses on this thread.)
  (void)ZSTD_CCtx_setParameter(Ctx(z->cctx_), ZSTD_c_nbWorkers, threads);
  return z;
}

ZstdCompressor::~ZstdCompressor() { ZSTD_freeCCtx(Ctx(cctx_)); }

Status ZstdCompressor::Drain(const void* data, size_t n, bool end) {
  ZSTD_inBuffer in{data, n, 0};
  while (true) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    size_t left = ZSTD_compressStream2(Ctx(cctx_), &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
    if (ZSTD_isError(left)) return Errorf("zstd: {}", ZSTD_getErrorName(left));
    if (out.pos) DISTILL_TRY_VOID(sink_(out_.data(), out.pos));
    if (end ? left == 0 : in.pos == in.size) return {};
  }
}

Status ZstdCompressor::Write(const void* data, size_t n) { return Drain(data, n, false); }

Status ZstdCompressor::Finish() { return Drain(nullptr, 0, true); }

Result<uint64_t> CompressFile(const std::string& path, ZstdCompressor& compressor) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errorf("{}: cannot open: {}", path, std::strerror(errno));
  heap::ScratchBuffer buf(1 << 20);
  uint64_t total = 0;
  Status st;
  while (st.ok()) {
    ssize_t n = ::read(fd, buf.data(), 1 << 20);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      st = Errorf("{}: read failed: {}", path, std::strerror(errno));
      break;
    }
    if (n == 0) break;
    total += static_cast<uint64_t>(n);
    st = compressor.Write(buf.data(), static_cast<size_t>(n));
  }
  ::close(fd);
  if (!st.ok()) return std::move(st).error();
  return total;
}

}  // namespace distill::vuln
