// Test helper: real .deb bytes (ar + control.tar.gz + data.tar.gz/zst) from a control paragraph and
// an image_builder tree, so the deb reader and the assembly can be tested without the network.
#pragma once

#include <string>
#include <string_view>

namespace distill::imagebuild::testing {

// data_tree uses testing::ParseTree's text ("dir ./usr 0755", "file ./usr/bin/x 0755 ...").
std::string MakeDeb(std::string_view control, std::string_view data_tree,
                    std::string_view md5sums = "", bool zstd_data = false);

}  // namespace distill::imagebuild::testing
