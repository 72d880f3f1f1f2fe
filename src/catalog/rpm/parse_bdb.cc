// BerkeleyDB hash databases, as rpm < 4.16 wrote var/lib/rpm/Packages. Layout from libdb's
// dbinc/db_page.h: page 0 is the hash metadata page (magic 0x061561, page size, last page);
// hash pages (type 13, or 2 on RHEL 5) hold key/value item pairs; a package header is always a
// HOFFPAGE item (type 3) pointing at a chain of overflow pages (type 7).
#include <vector>

#include "catalog/rpm/parse_db.h"
#include "util/byte_view.h"

namespace distill::catalog::rpm {
namespace {

constexpr uint32_t kHashMagic = 0x061561;
constexpr size_t kPageHeader = 26;
constexpr uint8_t kHashUnsorted = 2, kHashOffPage = 3, kOverflow = 7, kHashMeta = 8, kHash = 13;

struct Db {
  ByteView r;  // in the database's byte order
  uint32_t page_size;
  uint32_t last_page;
  // In a sound database every overflow page belongs to one chain: reading each at most once
  // keeps a hostile file (every item pointing at the same long chain) linear in its size.
  std::vector<bool> used_pages;
};

// Concatenates the overflow chain starting at page `pgno`, `length` bytes in total.
Result<std::string> ReadOverflow(Db& db, uint32_t pgno, uint32_t length) {
  std::string out;
  while (pgno != 0) {
    if (pgno > db.last_page)
      return Errorf("overflow page {} beyond last page {}", pgno, db.last_page);
    if (db.used_pages[pgno])
      return Errorf("overflow page {} already read (a loop or a shared chain)", pgno);
    db.used_pages[pgno] = true;
    size_t base = size_t{pgno} * db.page_size;
    DISTILL_TRY(uint8_t type, db.r.U8(base + 25));
    if (type != kOverflow) return Errorf("page {}: type {}, expected an overflow page", pgno, type);
    DISTILL_TRY(uint32_t next, db.r.U32(base + 16));
    // On overflow pages hf_offset (bytes 22-23) is the number of bytes used on the page.
    DISTILL_TRY(uint16_t used, db.r.U16(base + 22));
    if (used > db.page_size - kPageHeader)
      return Errorf("page {}: {} bytes used of {}", pgno, used, db.page_size);
    DISTILL_TRY(std::string_view bytes, db.r.Bytes(base + kPageHeader, used));
    out.append(bytes);
    if (out.size() > length)
      return Errorf("overflow chain longer than the item's {} bytes", length);
    pgno = next;
  }
  if (out.size() != length)
    return Errorf("overflow chain has {} bytes, item says {}", out.size(), length);
  return out;
}

// Values of one hash page (the odd items of its key/value pairs).
void ReadHashPage(Db& db, uint32_t pgno, Blobs* out) {
  size_t base = size_t{pgno} * db.page_size;
  auto entries = db.r.U16(base + 20);
  if (!entries.ok()) {
    out->errors.push_back(entries.error().wrap(fmt::format("page {}", pgno)));
    return;
  }
  if (size_t{*entries} * 2 > db.page_size - kPageHeader) {
    out->errors.push_back(Errorf("page {}: {} entries do not fit", pgno, *entries));
    return;
  }
  for (uint16_t i = 1; i < *entries; i += 2) {
    auto fail = [&](const Error& e) {
      out->errors.push_back(e.wrap(fmt::format("page {} item {}", pgno, i)));
    };
    auto off = db.r.U16(base + kPageHeader + size_t{i} * 2);
    if (!off.ok()) return fail(off.error());
    if (*off >= db.page_size) return fail(Errorf("item offset {} beyond the page", *off));
    size_t item = base + *off;
    auto type = db.r.U8(item);
    if (!type.ok()) return fail(type.error());
    if (*type != kHashOffPage) continue;  // small inline values are rpm's bookkeeping, not headers
    auto first = db.r.U32(item + 4);
    auto length = db.r.U32(item + 8);
    if (!first.ok()) return fail(first.error());
    if (!length.ok()) return fail(length.error());
    auto blob = ReadOverflow(db, *first, *length);
    if (!blob.ok()) {
      fail(blob.error());
      continue;
    }
    out->blobs.push_back(std::move(blob).value());
  }
}

}  // namespace

Result<Blobs> ReadBerkeleyDb(std::string_view file) {
  if (file.size() < 512) return Errorf("BerkeleyDB: file too short ({} bytes)", file.size());
  DISTILL_TRY(uint32_t magic_le, ByteView(file, ByteOrder::kLittle).U32(12));
  ByteView r(file,
             magic_le == kHashMagic ? ByteOrder::kLittle : ByteOrder::kBig);  // the writer's order
  DISTILL_TRY(uint32_t magic, r.U32(12));
  if (magic != kHashMagic) return Errorf("not a BerkeleyDB hash database (magic {:#x})", magic_le);
  DISTILL_TRY(uint32_t page_size, r.U32(20));
  DISTILL_TRY(uint8_t encrypted, r.U8(24));
  DISTILL_TRY(uint8_t meta_type, r.U8(25));
  DISTILL_TRY(uint32_t last_page, r.U32(32));
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0)
    return Errorf("BerkeleyDB: invalid page size {}", page_size);
  if (encrypted != 0) return Errorf("BerkeleyDB: encrypted database (algorithm {})", encrypted);
  if (meta_type != kHashMeta)
    return Errorf("BerkeleyDB: page 0 has type {}, expected hash metadata", meta_type);
  if ((uint64_t{last_page} + 1) * page_size > file.size())
    return Errorf("BerkeleyDB: last page {} beyond the file's {} bytes (truncated?)", last_page,
                  file.size());
  Db db{r, page_size, last_page, std::vector<bool>(size_t{last_page} + 1)};
  Blobs out;
  for (uint32_t pgno = 1; pgno <= last_page; ++pgno) {
    auto type = r.U8(size_t{pgno} * page_size + 25);
    if (!type.ok()) break;
    if (*type == kHash || *type == kHashUnsorted) ReadHashPage(db, pgno, &out);
  }
  return out;
}

}  // namespace distill::catalog::rpm
