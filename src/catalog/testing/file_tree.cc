#include "catalog/testing/file_tree.h"

#include <filesystem>
#include <set>

#include "util/file.h"

namespace distill::catalog::testing {
namespace fs = std::filesystem;

std::string FixtureDir() { return std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/sbom"; }

image::FileIndex IndexFromDir(const std::string& root) {
  image::ContentPlan all;
  all.predicate = [](const image::Entry&) { return true; };
  return IndexFromDir(root, all);
}

image::FileIndex IndexFromDir(const std::string& root, const image::ContentPlan& plan) {
  std::vector<image::Entry> entries;
  std::unordered_map<std::string, std::string> contents;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    image::Entry e;
    e.path = it->path().lexically_relative(root).generic_string();
    e.layer = 0;
    auto st = it->symlink_status();
    if (fs::is_symlink(st)) {
      e.type = image::FileType::kSymlink;
      e.link = fs::read_symlink(it->path()).string();
    } else if (fs::is_directory(st)) {
      e.type = image::FileType::kDirectory;
    } else if (fs::is_regular_file(st)) {
      e.type = image::FileType::kRegular;
      e.size = fs::file_size(it->path());
      if (plan.wants(e)) {
        auto data = ReadFile(it->path().string());
        if (data.ok()) contents[e.path] = std::move(data).value();
      }
    } else {
      continue;  // devices, fifos, sockets: not needed by the catalogers
    }
    entries.push_back(std::move(e));
  }
  return image::FileIndex(std::move(entries), {"sha256:test"}, std::move(contents), nullptr);
}

image::FileIndex IndexFromFiles(const std::map<std::string, std::string>& files) {
  std::vector<image::Entry> entries;
  std::unordered_map<std::string, std::string> contents;
  std::set<std::string> dirs;
  for (const auto& [path, data] : files) {
    image::Entry e;
    e.path = path;
    e.layer = 0;
    e.size = data.size();
    entries.push_back(e);
    contents[path] = data;
    for (std::string_view d = image::Dirname(path); !d.empty(); d = image::Dirname(d))
      dirs.insert(std::string(d));
  }
  for (const auto& d : dirs) {
    image::Entry e;
    e.path = d;
    e.type = image::FileType::kDirectory;
    e.layer = 0;
    entries.push_back(e);
  }
  return image::FileIndex(std::move(entries), {"sha256:test"}, std::move(contents), nullptr);
}

image::FileIndex IndexFromTxtar(const std::string& archive) {
  std::map<std::string, std::string> files;
  std::string* cur = nullptr;
  size_t pos = 0;
  while (pos < archive.size()) {
    size_t nl = archive.find('\n', pos);
    if (nl == std::string::npos) nl = archive.size();
    std::string line = archive.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.starts_with("-- ") && line.ends_with(" --") && line.size() > 6) {
      cur = &files[line.substr(3, line.size() - 6)];
      continue;
    }
    if (cur) *cur += line + "\n";
  }
  return IndexFromFiles(files);
}

}  // namespace distill::catalog::testing
