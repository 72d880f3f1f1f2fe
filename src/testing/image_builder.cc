#include "testing/image_builder.h"

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "util/digest.h"

namespace distill::testing {

namespace {

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char c = s[++i];
      out += c == 'n' ? '\n' : c == 't' ? '\t' : c == '0' ? '\0' : c;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> Fields(std::string_view line, size_t max_fields) {
  std::vector<std::string> f;
  size_t i = 0;
  while (i < line.size() && f.size() + 1 < max_fields) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t j = line.find(' ', i);
    if (j == std::string_view::npos) j = line.size();
    if (j > i) f.emplace_back(line.substr(i, j - i));
    i = j;
  }
  while (i < line.size() && line[i] == ' ') ++i;
  if (i < line.size()) f.emplace_back(line.substr(i));
  return f;
}

}  // namespace

std::vector<TarEntry> ParseTree(std::string_view text) {
  std::vector<TarEntry> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    auto f = Fields(line, 4);
    if (f.empty() || f[0][0] == '#') continue;
    TarEntry e;
    const std::string& kind = f[0];
    if (f.size() < 2) throw std::runtime_error("bad tree line: " + line);
    e.name = f[1];
    if (kind == "dir") {
      e.type = '5';
      e.mode = f.size() > 2 ? std::stoul(f[2], nullptr, 8) : 0755;
    } else if (kind == "file") {
      e.mode = f.size() > 2 ? std::stoul(f[2], nullptr, 8) : 0644;
      if (f.size() > 3) e.data = Unescape(f[3]);
    } else if (kind == "link") {
      e.type = '2';
      e.link = f.at(2);
      e.mode = 0777;
    } else if (kind == "hard") {
      e.type = '1';
      e.link = f.at(2);
    } else if (kind == "char" || kind == "block") {
      e.type = kind == "char" ? '3' : '4';
      e.dev_major = std::stoul(f.at(2));
      e.dev_minor = std::stoul(f.at(3));
    } else if (kind == "whiteout" || kind == "opaque") {
      std::string dir =
          e.name.find('/') == std::string::npos ? "" : e.name.substr(0, e.name.rfind('/') + 1);
      std::string base = e.name.substr(e.name.rfind('/') + 1);
      e.name = kind == "whiteout" ? dir + ".wh." + base : e.name + "/.wh..wh..opq";
    } else {
      throw std::runtime_error("bad tree line: " + line);
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string MakeTar(const std::vector<TarEntry>& entries) {
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_set_bytes_per_block(a, 10240);
  std::string out;
  archive_write_open(
      a, &out, nullptr,
      [](struct archive*, void* ud, const void* buf, size_t n) -> la_ssize_t {
        static_cast<std::string*>(ud)->append(static_cast<const char*>(buf), n);
        return static_cast<la_ssize_t>(n);
      },
      nullptr);
  for (const auto& e : entries) {
    struct archive_entry* ae = archive_entry_new();
    archive_entry_set_pathname(ae, e.name.c_str());
    archive_entry_set_perm(ae, e.mode);
    archive_entry_set_uid(ae, e.uid);
    archive_entry_set_gid(ae, e.gid);
    archive_entry_set_mtime(ae, e.mtime, 0);
    switch (e.type) {
      case '5':
        archive_entry_set_filetype(ae, AE_IFDIR);
        break;
      case '2':
        archive_entry_set_filetype(ae, AE_IFLNK);
        archive_entry_set_symlink(ae, e.link.c_str());
        break;
      case '1':
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_hardlink(ae, e.link.c_str());
        break;
      case '3':
        archive_entry_set_filetype(ae, AE_IFCHR);
        archive_entry_set_rdevmajor(ae, e.dev_major);
        archive_entry_set_rdevminor(ae, e.dev_minor);
        break;
      case '4':
        archive_entry_set_filetype(ae, AE_IFBLK);
        archive_entry_set_rdevmajor(ae, e.dev_major);
        archive_entry_set_rdevminor(ae, e.dev_minor);
        break;
      case '6':
        archive_entry_set_filetype(ae, AE_IFIFO);
        break;
      default:
        archive_entry_set_filetype(ae, AE_IFREG);
        if (e.sparse_size) {
          archive_entry_set_size(ae, e.sparse_size);
          archive_entry_sparse_add_entry(ae, 0, e.data.size());
        } else {
          archive_entry_set_size(ae, e.data.size());
        }
    }
    archive_write_header(a, ae);
    if (e.type == '0' && !e.data.empty()) archive_write_data(a, e.data.data(), e.data.size());
    archive_entry_free(ae);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

std::string MakeTarFromFiles(const std::map<std::string, std::string>& files) {
  std::vector<TarEntry> entries;
  for (const auto& [path, data] : files) entries.push_back({.name = path, .data = data});
  return MakeTar(entries);
}

std::string GzipBytes(std::string_view data) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = data.size();
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = out.size();
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string ZstdBytes(std::string_view data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3));
  return out;
}

TestLayer Layer(std::string_view tree, image::Compression c) {
  return {MakeTar(ParseTree(tree)), c};
}

namespace {

std::string Compress(const TestLayer& l) {
  switch (l.compression) {
    case image::Compression::kGzip:
      return GzipBytes(l.tar);
    case image::Compression::kZstd:
      return ZstdBytes(l.tar);
    default:
      return l.tar;
  }
}

const char* LayerMediaType(image::Compression c) {
  switch (c) {
    case image::Compression::kGzip:
      return "application/vnd.oci.image.layer.v1.tar+gzip";
    case image::Compression::kZstd:
      return "application/vnd.oci.image.layer.v1.tar+zstd";
    default:
      return "application/vnd.oci.image.layer.v1.tar";
  }
}

std::string ConfigJson(const TestImage& img) {
  nlohmann::json diff_ids = nlohmann::json::array(), history = nlohmann::json::array();
  for (size_t i = 0; i < img.layers.size(); ++i) {
    const TestLayer& l = img.layers[i];
    diff_ids.push_back(l.config_diff_id.empty() ? Sha256Digest(l.tar) : l.config_diff_id);
    history.push_back({{"created_by", "layer " + std::to_string(i)}});
  }
  nlohmann::json cfg = {{"architecture", img.arch},
                        {"os", img.os},
                        {"config", img.config},
                        {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}},
                        {"history", history}};
  if (!img.variant.empty()) cfg["variant"] = img.variant;
  return cfg.dump();
}

std::string AddBlob(std::map<std::string, std::string>& files, std::string data) {
  std::string d = Sha256Digest(data);
  files["blobs/sha256/" + std::string(DigestHex(d))] = std::move(data);
  return d;
}

nlohmann::json Descriptor(const std::string& mt, const std::string& digest, size_t size) {
  return {{"mediaType", mt}, {"digest", digest}, {"size", size}};
}

}  // namespace

std::map<std::string, std::string> OciLayoutFiles(const std::vector<TestImage>& images,
                                                  bool as_index) {
  std::map<std::string, std::string> files;
  files["oci-layout"] = R"({"imageLayoutVersion":"1.0.0"})";
  nlohmann::json manifests = nlohmann::json::array();
  for (const auto& img : images) {
    std::string cfg = ConfigJson(img);
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : img.layers) {
      std::string blob = Compress(l);
      size_t size = blob.size();
      layers.push_back(
          Descriptor(LayerMediaType(l.compression), AddBlob(files, std::move(blob)), size));
    }
    size_t cfg_size = cfg.size();
    nlohmann::json m = {{"schemaVersion", 2},
                        {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                        {"config", Descriptor("application/vnd.oci.image.config.v1+json",
                                              AddBlob(files, cfg), cfg_size)},
                        {"layers", layers}};
    std::string mb = m.dump();
    size_t msize = mb.size();
    auto d = Descriptor("application/vnd.oci.image.manifest.v1+json", AddBlob(files, mb), msize);
    d["platform"] = {{"os", img.os}, {"architecture", img.arch}};
    if (!img.variant.empty()) d["platform"]["variant"] = img.variant;
    if (!img.tag.empty() && !as_index)
      d["annotations"] = {{"org.opencontainers.image.ref.name", img.tag}};
    manifests.push_back(d);
  }
  if (as_index) {
    nlohmann::json idx = {{"schemaVersion", 2},
                          {"mediaType", "application/vnd.oci.image.index.v1+json"},
                          {"manifests", manifests}};
    std::string ib = idx.dump();
    size_t isize = ib.size();
    auto d = Descriptor("application/vnd.oci.image.index.v1+json", AddBlob(files, ib), isize);
    if (!images.empty() && !images[0].tag.empty())
      d["annotations"] = {{"org.opencontainers.image.ref.name", images[0].tag}};
    manifests = nlohmann::json::array({d});
  }
  files["index.json"] = nlohmann::json({{"schemaVersion", 2}, {"manifests", manifests}}).dump();
  return files;
}

std::map<std::string, std::string> DockerArchiveFiles(const std::vector<TestImage>& images) {
  std::map<std::string, std::string> files;
  nlohmann::json manifest = nlohmann::json::array();
  for (const auto& img : images) {
    std::string cfg = ConfigJson(img);
    std::string cfg_name = std::string(DigestHex(Sha256Digest(cfg))) + ".json";
    files[cfg_name] = cfg;
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : img.layers) {
      std::string id(DigestHex(Sha256Digest(l.tar)));
      files[id + "/layer.tar"] = l.tar;
      files[id + "/VERSION"] = "1.0";
      layers.push_back(id + "/layer.tar");
    }
    nlohmann::json tags = nlohmann::json::array();
    if (!img.tag.empty()) tags.push_back(img.tag);
    manifest.push_back({{"Config", cfg_name}, {"RepoTags", tags}, {"Layers", layers}});
  }
  files["manifest.json"] = manifest.dump();
  return files;
}

void WriteDir(const std::string& dir, const std::map<std::string, std::string>& files) {
  for (const auto& [path, data] : files) {
    std::filesystem::path p = std::filesystem::path(dir) / path;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << data;
  }
}

void WriteTar(const std::string& path, const std::map<std::string, std::string>& files) {
  std::ofstream(path, std::ios::binary) << MakeTarFromFiles(files);
}

namespace {

// The directories TempDir made, removed when the process that made them exits. Nothing removed
// them before: thousands of them (fake apt mirrors among them) had filled the disk until a CI
// link failed with "No space left on device".
class TempDirs {
 public:
  void Add(std::string dir) {
    std::lock_guard lock(mu_);
    dirs_.push_back(std::move(dir));
  }
  ~TempDirs() {
    if (::getpid() != owner_) return;  // a forked child that exits normally leaves them be
    if (const char* keep = std::getenv("DISTILL_KEEP_TEST_DIRS"); keep && *keep) return;
    std::error_code ec;
    for (const auto& d : dirs_) std::filesystem::remove_all(d, ec);
  }

 private:
  const pid_t owner_ = ::getpid();
  std::mutex mu_;
  std::vector<std::string> dirs_;
};

}  // namespace

std::string TempDir() {
  static TempDirs made;
  std::string tmpl = (std::filesystem::temp_directory_path() / "distill-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  made.Add(tmpl);
  return tmpl;
}

}  // namespace distill::testing
