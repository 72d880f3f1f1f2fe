// Deterministic, parallel gzip for the layers distill writes: a multi-member gzip (RFC 1952 §2.2)
// of fixed-size chunks, each deflated on its own by libdeflate. Chunk boundaries depend only on the
// input, never on the number of threads, so the bytes are the same on every run, thread count and
// machine for one libdeflate version: its compressor (deflate_compress.o) has no CPU-dispatched
// code at all — only the CRC-32 and the decompressor dispatch on CPU features, and a CRC is a fixed
// function. WriterGzipTest pins the bytes with a golden digest. Every member header has no
// name, mtime 0 and OS unix. Go's compress/gzip (containerd, skopeo, podman), zlib, isa-l,
// libdeflate and distill's own reader all read multi-member gzip as one stream.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace distill::image {

// Chunk size: big enough that a member costs ≈ nothing in ratio, small enough that one big layer
// keeps every core busy.
inline constexpr size_t kGzipChunk = 1 << 20;

// The number of members GzipDeterministic writes for `size` input bytes (at least 1).
size_t GzipMembers(size_t size);

// The i-th member (header, deflate stream, CRC-32, ISIZE) of data's gzip at `level` (1..12).
// Concatenating members 0..GzipMembers(data.size())-1 gives GzipDeterministic(data, level).
std::string GzipMember(std::string_view data, size_t i, int level);

// Names the encoder and its settings ("libdeflate-1.14.l6.c1m"): the same input and the same id
// give the same bytes (the key of build's layer cache).
std::string GzipEncoderId(int level);

// The whole gzip, members compressed on up to `threads` threads (0 = one per core).
std::string GzipDeterministic(std::string_view data, int level = 6, int threads = 0);

}  // namespace distill::image
