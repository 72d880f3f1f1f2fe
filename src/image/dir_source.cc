#include "image/dir_source.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <deque>
#include <iterator>

#include "util/file.h"

namespace distill::image {

namespace {

FileType TypeOf(mode_t m) {
  if (S_ISDIR(m)) return FileType::kDirectory;
  if (S_ISLNK(m)) return FileType::kSymlink;
  if (S_ISCHR(m)) return FileType::kCharDevice;
  if (S_ISBLK(m)) return FileType::kBlockDevice;
  if (S_ISFIFO(m)) return FileType::kFifo;
  if (S_ISSOCK(m)) return FileType::kSocket;
  return FileType::kRegular;
}

struct Walker {
  const DirIndexOptions& opt;
  // A deque grows without copying and without a doubled vector's slack; IndexDirectory moves the
  // entries into a vector of the exact size (10k entries: 1.5 MB, not the 2.2 MB of capacity a
  // growing vector reaches).
  std::deque<Entry> entries;

  // Walks the directory open at dirfd, whose image path is `prefix`.
  Status Walk(int dirfd, const std::string& prefix, const std::string& host) {
    DIR* d = ::fdopendir(dirfd);
    if (!d) {
      ::close(dirfd);
      return Errorf("{}: cannot read directory: {}", host, std::strerror(errno));
    }
    std::vector<std::string> names;
    while (struct dirent* de = ::readdir(d)) {
      std::string_view n = de->d_name;
      if (n != "." && n != "..") names.emplace_back(n);
    }
    std::sort(names.begin(), names.end());
    Status st;
    for (const auto& n : names) {
      std::string path = prefix.empty() ? n : prefix + "/" + n;
      struct stat sb;
      if (::fstatat(::dirfd(d), n.c_str(), &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        st = Errorf("{}/{}: cannot stat: {}", host, n, std::strerror(errno));
        break;
      }
      if (entries.size() >= opt.max_entries) {
        st = Errorf("{}: more than {} entries", host, opt.max_entries);
        break;
      }
      Entry e;
      e.path = path;
      e.type = TypeOf(sb.st_mode);
      e.mode = sb.st_mode & 07777;
      e.uid = sb.st_uid;
      e.gid = sb.st_gid;
      e.mtime = sb.st_mtim.tv_sec;
      e.size = e.type == FileType::kRegular ? static_cast<uint64_t>(sb.st_size) : 0;
      if (e.type == FileType::kSymlink) {
        char buf[PATH_MAX];
        ssize_t k = ::readlinkat(::dirfd(d), n.c_str(), buf, sizeof buf);
        if (k >= 0) e.link.assign(buf, k);
      }
      if (e.type == FileType::kCharDevice || e.type == FileType::kBlockDevice) {
        e.dev_major = major(sb.st_rdev);
        e.dev_minor = minor(sb.st_rdev);
      }
      if (e.type == FileType::kRegular) {
        char cap[256];
        std::string full = host + "/" + n;
        ssize_t k = ::lgetxattr(full.c_str(), "security.capability", cap, sizeof cap);
        if (k > 0) e.xattrs.emplace_back("security.capability", std::string(cap, k));
      }
      bool is_dir = e.type == FileType::kDirectory;
      entries.push_back(std::move(e));
      if (is_dir) {
        int fd = ::openat(::dirfd(d), n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
          st = Errorf("{}/{}: cannot open directory: {}", host, n, std::strerror(errno));
          break;
        }
        st = Walk(fd, path, host + "/" + n);
        if (!st.ok()) break;
      }
    }
    ::closedir(d);
    return st;
  }
};

}  // namespace

Result<FileIndex> IndexDirectory(const std::string& root, const DirIndexOptions& opt) {
  char buf[PATH_MAX];
  if (!::realpath(root.c_str(), buf)) return Errorf("{}: no such directory", root);
  std::string real = buf;
  int fd = ::open(real.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errorf("{}: not a directory", root);
  Walker w{opt, {}};
  DISTILL_TRY_VOID(w.Walk(fd, "", real));
  uint64_t max = opt.max_file_bytes;
  auto loader = [real, max](const Entry& e) -> Result<std::string> {
    // The index resolved every symlink already; refuse one that appeared since.
    std::string p = real + "/" + e.path;
    struct stat sb;
    if (::lstat(p.c_str(), &sb) != 0 || !S_ISREG(sb.st_mode)) return Errorf("{}: not a regular file", p);
    return ReadFile(p, max);
  };
  std::vector<Entry> entries;
  entries.reserve(w.entries.size());
  std::move(w.entries.begin(), w.entries.end(), std::back_inserter(entries));
  w.entries = {};
  FileIndex index(std::move(entries), {}, {}, loader);
  index.set_mapper([real, max](const Entry& e) { return FileBytes::Map(real + "/" + e.path, max); });
  return index;
}

}  // namespace distill::image
