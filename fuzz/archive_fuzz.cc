// Fuzzes the outer archive readers: arbitrary bytes as a docker-archive / oci-archive tar
// (tar index, manifest.json, index.json, configs, descriptors), then the layers it names.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "image/image.h"

using namespace distill::image;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int fd = memfd_create("archive", 0);
  if (fd < 0) return 0;
  if (write(fd, data, size) != static_cast<ssize_t>(size)) {
    close(fd);
    return 0;
  }
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  LoadOptions opt;
  opt.threads = 1;
  opt.limits.max_tar_bytes = 16 << 20;
  opt.limits.max_entries = 10000;
  opt.plan.globs = {"**"};
  opt.plan.max_file_bytes = 1 << 20;
  for (const char* scheme : {"docker-archive:", "oci-archive:"})
    (void)LoadImage(scheme + path, opt);
  close(fd);
  return 0;
}
