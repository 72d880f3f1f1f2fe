#include "image/entry.h"

namespace distill::image {

std::string_view FileTypeName(FileType t) {
  switch (t) {
    case FileType::kRegular:
      return "file";
    case FileType::kDirectory:
      return "dir";
    case FileType::kSymlink:
      return "symlink";
    case FileType::kHardlink:
      return "hardlink";
    case FileType::kCharDevice:
      return "char";
    case FileType::kBlockDevice:
      return "block";
    case FileType::kFifo:
      return "fifo";
    case FileType::kSocket:
      return "socket";
    case FileType::kWhiteout:
      return "whiteout";
    case FileType::kOpaque:
      return "opaque";
  }
  return "unknown";
}

char FileTypeChar(FileType t) {
  switch (t) {
    case FileType::kRegular:
      return '-';
    case FileType::kDirectory:
      return 'd';
    case FileType::kSymlink:
      return 'l';
    case FileType::kHardlink:
      return 'h';
    case FileType::kCharDevice:
      return 'c';
    case FileType::kBlockDevice:
      return 'b';
    case FileType::kFifo:
      return 'p';
    case FileType::kSocket:
      return 's';
    case FileType::kWhiteout:
      return 'w';
    case FileType::kOpaque:
      return 'o';
  }
  return '?';
}

std::string ModeString(const Entry& e) {
  std::string s(10, '-');
  s[0] = FileTypeChar(e.type);
  const char* rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; ++i)
    if (e.mode & (1u << (8 - i))) s[1 + i] = rwx[i];
  if (e.mode & 04000) s[3] = (e.mode & 0100) ? 's' : 'S';
  if (e.mode & 02000) s[6] = (e.mode & 010) ? 's' : 'S';
  if (e.mode & 01000) s[9] = (e.mode & 01) ? 't' : 'T';
  return s;
}

}  // namespace distill::image
