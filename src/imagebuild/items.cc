#include "imagebuild/items.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "util/file.h"

namespace distill::imagebuild {

using image::TarItem;
using Type = TarItem::Type;
namespace fs = std::filesystem;

TarItem DirItem(std::string path, uint32_t mode, uint32_t uid, uint32_t gid) {
  TarItem it;
  it.path = std::move(path);
  it.type = Type::kDir;
  it.mode = mode;
  it.uid = uid;
  it.gid = gid;
  return it;
}

TarItem FileItem(std::string path, std::string data, uint32_t mode) {
  TarItem it;
  it.path = std::move(path);
  it.data = std::move(data);
  it.mode = mode;
  return it;
}

TarItem SymlinkItem(std::string path, std::string target) {
  TarItem it;
  it.path = std::move(path);
  it.type = Type::kSymlink;
  it.link = std::move(target);
  it.mode = 0777;
  return it;
}

TarItem CharItem(std::string path, uint32_t major, uint32_t minor, uint32_t mode) {
  TarItem it;
  it.path = std::move(path);
  it.type = Type::kChar;
  it.mode = mode;
  it.dev_major = major;
  it.dev_minor = minor;
  return it;
}

Status AddLocalFiles(const FileSpec& file, const std::string& spec_dir, std::vector<TarItem>* out) {
  std::string dst = file.dst;
  while (dst.starts_with('/')) dst.erase(0, 1);
  auto own = [&](TarItem it) {
    it.uid = file.uid;
    it.gid = file.gid;
    if (file.mode && it.type != Type::kSymlink) it.mode = *file.mode;
    out->push_back(std::move(it));
  };
  if (!file.symlink.empty()) return own(SymlinkItem(dst, file.symlink)), Status{};
  if (file.src.empty()) return own(FileItem(dst, file.content)), Status{};
  fs::path src =
      fs::path(file.src).is_absolute() ? fs::path(file.src) : fs::path(spec_dir) / file.src;
  std::error_code ec;
  auto add_one = [&](const fs::path& path, const std::string& rel) -> Status {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) return Errorf("files: {}: cannot stat", path.string());
    TarItem it;
    it.path = rel;
    it.mode = st.st_mode & 07777;
    if (S_ISDIR(st.st_mode)) {
      it.type = Type::kDir;
    } else if (S_ISLNK(st.st_mode)) {
      it = SymlinkItem(rel, fs::read_symlink(path, ec).string());
    } else if (S_ISREG(st.st_mode)) {
      DISTILL_TRY(it.data, ReadFile(path.string(), 1ull << 32));
    } else {
      return Errorf("files: {}: not a file, directory or symlink", path.string());
    }
    own(std::move(it));
    return {};
  };
  if (!fs::exists(fs::symlink_status(src, ec)))
    return Errorf("{}:{}: files: src '{}' does not exist", file.line ? "spec" : "", file.line,
                  src.string());
  DISTILL_TRY_VOID(add_one(src, dst));
  if (fs::is_directory(fs::symlink_status(src, ec))) {
    std::vector<fs::path> all;
    for (auto& e : fs::recursive_directory_iterator(src, ec)) all.push_back(e.path());
    std::sort(all.begin(), all.end());
    for (const auto& p : all) {
      DISTILL_TRY_VOID(add_one(p, dst + "/" + fs::relative(p, src).string()));
    }
  }
  return {};
}

}  // namespace distill::imagebuild
