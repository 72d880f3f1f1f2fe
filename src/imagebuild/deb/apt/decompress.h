// Index decompression in memory: xz (liblzma) and gzip (zlib), bounded output.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace distill::imagebuild::apt {

// By the file name's extension: ".xz", ".gz", or anything else as is. Errors say what is wrong.
Result<std::string> DecompressIndex(std::string_view data, std::string_view name,
                                    uint64_t max_out = 1ull << 30);

}  // namespace distill::imagebuild::apt
