#include "image/decompress.h"

#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <mutex>
#include <vector>

#include "util/libisal.h"
#include "util/log.h"

namespace distill::image {

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
  }
  return "?";
}

Compression SniffCompression(const unsigned char* p, size_t n) {
  if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) return Compression::kGzip;
  if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
    return Compression::kZstd;
  return Compression::kNone;
}

Result<size_t> HashingReader::Read(void* buf, size_t n) {
  DISTILL_TRY(size_t got, src_->Read(buf, n));
  if (hash_) sha_.update(buf, got);
  count_ += got;
  return got;
}

namespace {

constexpr size_t kInBuf = 256 << 10;

// Shared input buffering for the decoders.
class Buffered : public ByteStream {
 protected:
  explicit Buffered(std::unique_ptr<ByteStream> src) : src_(std::move(src)), in_(kInBuf) {}
  // Refills when empty; false at end of input.
  Result<bool> Fill() {
    if (in_pos_ < in_len_) return true;
    DISTILL_TRY(size_t n, src_->Read(in_.data(), in_.size()));
    in_pos_ = 0;
    in_len_ = n;
    consumed_ += n;
    return n > 0;
  }
  std::unique_ptr<ByteStream> src_;
  std::vector<unsigned char> in_;
  size_t in_pos_ = 0, in_len_ = 0;
  uint64_t consumed_ = 0;  // compressed bytes read so far
};

class IsalGzipReader : public Buffered {
 public:
  IsalGzipReader(std::unique_ptr<ByteStream> src, const IsalApi& isal)
      : Buffered(std::move(src)), isal_(isal) {
    Reset();
  }
  Result<size_t> Read(void* buf, size_t n) override {
    size_t out = 0;
    while (out < n && !done_) {
      if (st_.block_state == ISAL_BLOCK_FINISH) {
        // End of a member: another member may follow (multi-member gzip), else the end.
        DISTILL_TRY(bool more, Fill());
        if (!more) {
          done_ = true;
          break;
        }
        if (in_[in_pos_] != 0x1f)
          return Errorf("gzip stream has trailing garbage after {} bytes",
                        consumed_ - (in_len_ - in_pos_));
        Reset();
      }
      DISTILL_TRY(bool more, Fill());
      if (!more) return Errorf("gzip stream truncated after {} bytes", consumed_);
      st_.next_in = in_.data() + in_pos_;
      st_.avail_in = static_cast<uint32_t>(in_len_ - in_pos_);
      st_.next_out = static_cast<uint8_t*>(buf) + out;
      st_.avail_out = static_cast<uint32_t>(std::min<size_t>(n - out, 1u << 30));
      int rc = isal_.inflate(&st_);
      size_t produced = (n - out) - st_.avail_out;
      in_pos_ = in_len_ - st_.avail_in;
      out += produced;
      if (rc < 0)
        return Errorf("gzip stream corrupt after {} bytes ({})", consumed_ - st_.avail_in,
                      Describe(rc));
    }
    return out;
  }

 private:
  void Reset() {
    isal_.inflate_init(&st_);
    st_.crc_flag = ISAL_GZIP;
  }
  static const char* Describe(int rc) {
    switch (rc) {
      case ISAL_INVALID_BLOCK:
        return "invalid deflate block";
      case ISAL_INVALID_SYMBOL:
        return "invalid deflate symbol";
      case ISAL_INVALID_LOOKBACK:
        return "invalid lookback distance";
      case ISAL_INVALID_WRAPPER:
        return "not a gzip header";
      case ISAL_UNSUPPORTED_METHOD:
        return "unsupported compression method";
      case ISAL_INCORRECT_CHECKSUM:
        return "CRC mismatch";
    }
    return "inflate error";
  }
  const IsalApi& isal_;
  inflate_state st_;
  bool done_ = false;
};

class ZlibGzipReader : public Buffered {
 public:
  explicit ZlibGzipReader(std::unique_ptr<ByteStream> src) : Buffered(std::move(src)) {
    std::memset(&zs_, 0, sizeof zs_);
    inflateInit2(&zs_, 16 + MAX_WBITS);
  }
  ~ZlibGzipReader() override { inflateEnd(&zs_); }
  Result<size_t> Read(void* buf, size_t n) override {
    size_t out = 0;
    while (out < n && !done_) {
      if (member_done_) {
        DISTILL_TRY(bool more, Fill());
        if (!more) {
          done_ = true;
          break;
        }
        inflateReset(&zs_);
        member_done_ = false;
      }
      DISTILL_TRY(bool more, Fill());
      if (!more) return Errorf("gzip stream truncated after {} bytes", consumed_);
      zs_.next_in = in_.data() + in_pos_;
      zs_.avail_in = static_cast<uInt>(in_len_ - in_pos_);
      zs_.next_out = static_cast<Bytef*>(buf) + out;
      zs_.avail_out = static_cast<uInt>(std::min<size_t>(n - out, 1u << 30));
      size_t before = zs_.avail_out;
      int rc = inflate(&zs_, Z_NO_FLUSH);
      out += before - zs_.avail_out;
      in_pos_ = in_len_ - zs_.avail_in;
      if (rc == Z_STREAM_END)
        member_done_ = true;
      else if (rc != Z_OK && rc != Z_BUF_ERROR)
        return Errorf("gzip stream corrupt after {} bytes ({})", consumed_ - zs_.avail_in,
                      zs_.msg ? zs_.msg : "inflate error");
    }
    return out;
  }

 private:
  z_stream zs_;
  bool member_done_ = false, done_ = false;
};

class ZstdReader : public Buffered {
 public:
  explicit ZstdReader(std::unique_ptr<ByteStream> src)
      : Buffered(std::move(src)), ds_(ZSTD_createDStream()) {
    ZSTD_initDStream(ds_);
    // Refuse frames that would need a huge window (memory bomb guard): 128 MiB is zstd's --long max
    // default.
    ZSTD_DCtx_setParameter(ds_, ZSTD_d_windowLogMax, 27);
  }
  ~ZstdReader() override { ZSTD_freeDStream(ds_); }
  Result<size_t> Read(void* buf, size_t n) override {
    ZSTD_outBuffer ob{buf, n, 0};
    while (ob.pos < n) {
      DISTILL_TRY(bool more, Fill());
      if (!more) {
        if (last_ != 0) return Errorf("zstd stream truncated after {} bytes", consumed_);
        break;
      }
      ZSTD_inBuffer ib{in_.data() + in_pos_, in_len_ - in_pos_, 0};
      size_t rc = ZSTD_decompressStream(ds_, &ob, &ib);
      in_pos_ += ib.pos;
      if (ZSTD_isError(rc))
        return Errorf("zstd stream corrupt after {} bytes ({})", consumed_ - (in_len_ - in_pos_),
                      ZSTD_getErrorName(rc));
      last_ = rc;
      if (ob.pos == 0 && ib.pos == 0 && in_pos_ < in_len_) return Errorf("zstd stream stalled");
    }
    return ob.pos;
  }

 private:
  ZSTD_DStream* ds_;
  size_t last_ = 0;  // 0 after a complete frame
};

}  // namespace

std::unique_ptr<ByteStream> Decompress(std::unique_ptr<ByteStream> src, Compression c,
                                       GzipBackend gzip) {
  switch (c) {
    case Compression::kNone:
      return src;
    case Compression::kGzip:
      if (gzip == GzipBackend::kIsal) {
        auto isal = LoadIsal();
        if (isal.ok()) return std::make_unique<IsalGzipReader>(std::move(src), **isal);
        static std::once_flag said;  // the same bytes come out of zlib, only slower
        std::call_once(said, [&] { log::debug("{}; inflating with zlib", isal.error().message); });
      }
      return std::make_unique<ZlibGzipReader>(std::move(src));
    case Compression::kZstd:
      return std::make_unique<ZstdReader>(std::move(src));
  }
  return src;
}

}  // namespace distill::image
