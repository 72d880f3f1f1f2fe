// Test helper: builds real image archives in-process (no daemon) from entries described as text,
// so unit tests can state a layer as a small tree and get a docker-archive, oci-archive or oci-dir.
//
// Tree text, one entry per line ("#" comments):
//   dir  etc            0755
//   file etc/hostname   0644  box\n          (content after the mode, C escapes \n \t \\ allowed)
//   link bin            usr/bin              (symlink target)
//   hard usr/bin/sh2    usr/bin/sh           (hardlink target)
//   char dev/null       1 3                  (device major minor)
//   whiteout etc/motd                        (writes etc/.wh.motd)
//   opaque var/cache                         (writes var/cache/.wh..wh..opq)
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "image/decompress.h"

namespace distill::testing {

struct TarEntry {
  std::string name;
  char type = '0';  // '0' file, '5' dir, '2' symlink, '1' hardlink, '3' char, '4' block, '6' fifo
  std::string data;
  std::string link;
  unsigned mode = 0644, uid = 0, gid = 0;
  int64_t mtime = 1700000000;
  unsigned dev_major = 0, dev_minor = 0;
  uint64_t sparse_size =
      0;  // > 0: a sparse file of this size whose only data is `data` at offset 0
};

std::vector<TarEntry> ParseTree(std::string_view text);
std::string MakeTar(const std::vector<TarEntry>& entries);
std::string MakeTarFromFiles(const std::map<std::string, std::string>& files);
std::string GzipBytes(std::string_view data);
std::string ZstdBytes(std::string_view data);

struct TestLayer {
  std::string tar;  // uncompressed layer tar
  image::Compression compression = image::Compression::kGzip;
  std::string config_diff_id;  // what the config names as its diff_id ("" = the tar's sha256)
};
TestLayer Layer(std::string_view tree, image::Compression c = image::Compression::kGzip);

struct TestImage {
  std::vector<TestLayer> layers;
  std::string tag;
  std::string os = "linux", arch = "amd64", variant;
  nlohmann::json config = nlohmann::json::object();  // merged into the generated config's "config"
};

// Archive-relative files of an OCI image layout holding the images. With as_index, the images
// are the platforms of one image index (tagged with the first image's tag).
std::map<std::string, std::string> OciLayoutFiles(const std::vector<TestImage>& images,
                                                  bool as_index = false);
// Files of a legacy `docker save` archive (uncompressed layer.tar per layer).
std::map<std::string, std::string> DockerArchiveFiles(const std::vector<TestImage>& images);

// Writes files under dir (creating it) or as one tar file.
void WriteDir(const std::string& dir, const std::map<std::string, std::string>& files);
void WriteTar(const std::string& path, const std::map<std::string, std::string>& files);

// A fresh temporary directory under /tmp, removed with everything in it when the test binary
// exits (DISTILL_KEEP_TEST_DIRS=1 keeps them, to look at after a failure).
std::string TempDir();

}  // namespace distill::testing
