// Fuzzes the .deb reader (ar, control.tar, data.tar) and, for what it accepts, the assembly and the
// deterministic tar writer that make a distill build layer from it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "image/writer_tar.h"
#include "imagebuild/assemble.h"
#include "imagebuild/deb/deb.h"

using namespace distill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto deb =
      imagebuild::ParseDeb(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.deb");
  if (!deb.ok()) return 0;
  imagebuild::Spec spec;
  spec.exclude = {"/usr/share/doc/**"};
  imagebuild::AssembleInput in;
  in.spec = &spec;
  in.debs.push_back(std::move(*deb));
  auto out = imagebuild::Assemble(in);
  if (!out.ok()) return 0;
  for (auto& l : out->layers) (void)image::WriteTar(std::move(l.items), 0);
  return 0;
}
