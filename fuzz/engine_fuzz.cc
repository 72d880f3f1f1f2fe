// Fuzzes what a container engine (dockerd, podman's API service) sends back: the first byte picks
// the reader, the rest is its input. 0: a `docker save` tar as GET /images/{name}/get streams it
// (docker_stream.h: members in any order, links, layers read as they pass); 1: a JSON error body;
// 2: the JSON lines of POST /images/load. Never crash; a stream read whole never reports more
// layers than its manifest names.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "image/docker_stream.h"
#include "image/engine/engine.h"

using namespace distill::image;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      StringReader in(input);
      StreamOptions opt;
      opt.name = "fuzz";
      opt.pipeline = false;
      opt.limits.max_tar_bytes = 16 << 20;
      opt.limits.max_entries = 10000;
      opt.plan.globs = {"**"};
      opt.plan.max_file_bytes = 1 << 20;
      opt.max_members = 1000;
      auto r = ReadDockerStream(in, opt);
      if (r.ok() && r->layers.size() != r->meta.layers.size()) abort();
      break;
    }
    case 1:
      (void)engine::ErrorMessage(input);
      break;
    default:
      (void)engine::ParseLoadResponse(input);
  }
  return 0;
}
