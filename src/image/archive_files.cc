#include "image/archive_files.h"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>

#include "image/file_index.h"

namespace distill::image {

Result<std::string> ArchiveFiles::ReadSmall(std::string_view path, uint64_t max_bytes) const {
  DISTILL_TRY(uint64_t size, Size(path));
  if (size > max_bytes)
    return Errorf("{}: {}: {} bytes is larger than the {} byte limit", name(), path, size,
                  max_bytes);
  DISTILL_TRY(auto r, Open(path));
  return ReadAll(*r, max_bytes, path);
}

namespace {

class DirFiles : public ArchiveFiles {
 public:
  DirFiles(std::string name, std::string root) : name_(std::move(name)), root_(std::move(root)) {}
  const std::string& name() const override { return name_; }

  bool Exists(std::string_view path) const override { return Locate(path).ok(); }

  Result<uint64_t> Size(std::string_view path) const override {
    DISTILL_TRY(std::string p, Locate(path));
    struct stat st;
    if (::stat(p.c_str(), &st) != 0) return Errorf("{}: {}: not found", name_, path);
    return static_cast<uint64_t>(st.st_size);
  }

  Result<std::unique_ptr<ByteStream>> Open(std::string_view path) const override {
    DISTILL_TRY(std::string p, Locate(path));
    DISTILL_TRY(auto f, RandomAccessFile::Open(p));
    uint64_t size = f->size();
    return std::unique_ptr<ByteStream>(std::make_unique<FileRegionReader>(std::move(f), 0, size));
  }

 private:
  // The host path of an archive path, after checking that it stays inside the root.
  Result<std::string> Locate(std::string_view path) const {
    auto norm = NormalizeEntryPath(path);
    if (!norm.ok() || norm->empty() || path.starts_with('/'))
      return Errorf("{}: invalid path '{}'", name_, path);
    std::string joined = root_ + "/" + *norm;
    char buf[PATH_MAX];
    if (!::realpath(joined.c_str(), buf)) return Errorf("{}: {}: not found", name_, path);
    std::string real(buf);
    if (!real.starts_with(root_ + "/"))
      return Errorf("{}: {} points outside the directory", name_, path);
    struct stat st;
    if (::stat(buf, &st) != 0 || !S_ISREG(st.st_mode))
      return Errorf("{}: {}: not a regular file", name_, path);
    return real;
  }
  std::string name_, root_;
};

class TarFiles : public ArchiveFiles {
 public:
  TarFiles(std::string name, std::shared_ptr<RandomAccessFile> file, TarIndex index)
      : name_(std::move(name)), file_(std::move(file)), index_(std::move(index)) {}
  const std::string& name() const override { return name_; }
  bool Exists(std::string_view path) const override { return Member(path) != nullptr; }
  Result<uint64_t> Size(std::string_view path) const override {
    const TarMember* m = Member(path);
    if (!m) return Errorf("{}: {}: not found in the archive", name_, path);
    return m->size;
  }
  Result<std::unique_ptr<ByteStream>> Open(std::string_view path) const override {
    const TarMember* m = Member(path);
    if (!m) return Errorf("{}: {}: not found in the archive", name_, path);
    return std::unique_ptr<ByteStream>(
        std::make_unique<FileRegionReader>(file_, m->offset, m->size));
  }

 private:
  const TarMember* Member(std::string_view path) const {
    auto norm = NormalizeEntryPath(path);
    if (!norm.ok()) return nullptr;
    const TarMember* m = index_.Find(*norm);
    return m && m->type == '0' ? m : (m && m->type == '7' ? m : nullptr);
  }
  std::string name_;
  std::shared_ptr<RandomAccessFile> file_;
  TarIndex index_;
};

}  // namespace

Result<std::unique_ptr<ArchiveFiles>> OpenDirFiles(const std::string& dir) {
  char buf[PATH_MAX];
  if (!::realpath(dir.c_str(), buf)) return Errorf("{}: no such directory", dir);
  return std::unique_ptr<ArchiveFiles>(std::make_unique<DirFiles>(dir, buf));
}

Result<std::unique_ptr<ArchiveFiles>> OpenTarFiles(const std::string& tar_path) {
  DISTILL_TRY(auto f, RandomAccessFile::Open(tar_path));
  auto idx = TarIndex::Build(*f);
  if (!idx.ok()) return std::move(idx).error().wrap(tar_path);
  return std::unique_ptr<ArchiveFiles>(
      std::make_unique<TarFiles>(tar_path, std::move(f), std::move(*idx)));
}

}  // namespace distill::image
