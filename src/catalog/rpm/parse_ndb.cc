// rpm's NDB backend (var/lib/rpm/Packages.db, SUSE), from rpm's lib/backend/ndb/rpmpkg.c:
// a 32-byte header ("RpmP", version 0, generation, slot page count), then 4 KiB slot pages of
// 16-byte slots ("Slot", package index, block offset, block count; the header fills the first
// two), each used slot pointing at a 16-byte-block "BlbS" blob header followed by the header blob.
#include "catalog/rpm/parse_db.h"
#include "util/byte_view.h"

namespace distill::catalog::rpm {
namespace {
constexpr uint32_t Magic(char a, char b, char c, char d) {
  return uint32_t(uint8_t(a)) | uint32_t(uint8_t(b)) << 8 | uint32_t(uint8_t(c)) << 16 |
         uint32_t(uint8_t(d)) << 24;
}
constexpr uint32_t kHeaderMagic = Magic('R', 'p', 'm', 'P'), kSlotMagic = Magic('S', 'l', 'o', 't'),
                   kBlobMagic = Magic('B', 'l', 'b', 'S');
constexpr size_t kSlotsPerPage = 4096 / 16, kBlock = 16;
}  // namespace

Result<Blobs> ReadNdb(std::string_view file) {
  ByteView r(file, ByteOrder::kLittle);
  DISTILL_TRY(uint32_t magic, r.U32(0));
  DISTILL_TRY(uint32_t version, r.U32(4));
  DISTILL_TRY(uint32_t pages, r.U32(12));
  if (magic != kHeaderMagic) return Errorf("not an rpm NDB database (magic {:#x})", magic);
  if (version != 0) return Errorf("NDB: unsupported version {}", version);
  if (pages == 0 || pages > 2048) return Errorf("NDB: {} slot pages", pages);
  Blobs out;
  size_t slots = pages * kSlotsPerPage;
  size_t total =
      0;  // blobs of a sound database are disjoint: more bytes than the file means overlap
  for (size_t i = 2; i < slots; ++i) {
    size_t at = i * 16;
    auto slot_magic = r.U32(at);
    if (!slot_magic.ok()) return Errorf("NDB: slot {}: {}", i, slot_magic.error().message);
    if (*slot_magic != kSlotMagic) return Errorf("NDB: slot {}: bad magic {:#x}", i, *slot_magic);
    DISTILL_TRY(uint32_t pkg, r.U32(at + 4));
    if (pkg == 0) continue;  // free slot
    DISTILL_TRY(uint32_t block, r.U32(at + 8));
    size_t blob_at = size_t{block} * kBlock;
    auto fail = [&](const Error& e) {
      out.errors.push_back(e.wrap(fmt::format("NDB: package {}", pkg)));
    };
    auto blob_magic = r.U32(blob_at);
    auto blob_pkg = r.U32(blob_at + 4);
    auto blob_len = r.U32(blob_at + 12);
    if (!blob_magic.ok() || !blob_pkg.ok() || !blob_len.ok()) {
      fail(Errorf("blob header at offset {} beyond the file", blob_at));
      continue;
    }
    if (*blob_magic != kBlobMagic || *blob_pkg != pkg) {
      fail(Errorf("bad blob header at offset {}", blob_at));
      continue;
    }
    auto blob = r.Bytes(blob_at + 16, *blob_len);
    if (!blob.ok()) {
      fail(blob.error());
      continue;
    }
    total += blob->size();
    if (total > file.size())
      return Errorf("NDB: blobs overlap (more blob bytes than the file has)");
    out.blobs.emplace_back(*blob);
  }
  return out;
}

}  // namespace distill::catalog::rpm
