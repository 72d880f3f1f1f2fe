#include "imagebuild/deb/testing/fake_deb.h"

#include <fmt/format.h>

#include "testing/image_builder.h"

namespace distill::imagebuild::testing {

namespace {

void ArMember(std::string* out, std::string_view name, std::string_view data) {
  *out += fmt::format("{:<16}{:<12}{:<6}{:<6}{:<8}{:<10}`\n", name, 0, 0, 0, 100644, data.size());
  *out += data;
  if (data.size() % 2) *out += '\n';
}

}  // namespace

std::string MakeDeb(std::string_view control, std::string_view data_tree, std::string_view md5sums,
                    bool zstd_data) {
  std::map<std::string, std::string> ctl = {{"./control", std::string(control)}};
  if (!md5sums.empty()) ctl["./md5sums"] = std::string(md5sums);
  ctl["./postinst"] = "#!/bin/sh\nexit 1\n";  // never run, never kept
  std::string control_tar = distill::testing::GzipBytes(distill::testing::MakeTarFromFiles(ctl));
  std::string data_tar = distill::testing::MakeTar(distill::testing::ParseTree(data_tree));
  std::string out = "!<arch>\n";
  ArMember(&out, "debian-binary", "2.0\n");
  ArMember(&out, "control.tar.gz", control_tar);
  if (zstd_data)
    ArMember(&out, "data.tar.zst", distill::testing::ZstdBytes(data_tar));
  else
    ArMember(&out, "data.tar.gz", distill::testing::GzipBytes(data_tar));
  return out;
}

}  // namespace distill::imagebuild::testing
