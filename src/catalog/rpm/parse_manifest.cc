#include <charconv>

#include "catalog/rpm/cataloger.h"
#include "util/text.h"

namespace distill::catalog::rpm {

Result<std::vector<HeaderInfo>> ParseContainerManifest(std::string_view text) {
  std::vector<HeaderInfo> out;
  Status status;
  auto fail = [&](Error e) {
    status = std::move(e);
    return false;
  };
  ForEachLine(text, [&](int n, std::string_view line) {
    if (line.empty()) return true;
    std::vector<std::string_view> f = Split(line, '\t');
    if (f.size() < 10)
      return fail(Errorf("line {}: {} tab-separated fields, expected 10", n, f.size()));
    HeaderInfo h;
    h.name = std::string(f[0]);
    size_t dash = f[1].rfind('-');
    if (h.name.empty() || dash == std::string_view::npos)
      return fail(Errorf("line {}: bad name or version-release", n));
    h.version = std::string(f[1].substr(0, dash));
    h.release = std::string(f[1].substr(dash + 1));
    h.vendor = std::string(f[4]);
    if (f[5] != "(none)" && !f[5].empty()) {
      auto [end, ec] = std::from_chars(f[5].data(), f[5].data() + f[5].size(), h.epoch);
      if (ec != std::errc() || end != f[5].data() + f[5].size())
        return fail(Errorf("line {}: epoch '{}'", n, f[5]));
      h.has_epoch = true;
    }
    std::from_chars(f[6].data(), f[6].data() + f[6].size(), h.size);
    h.arch = std::string(f[7]);
    h.source_rpm = std::string(f[9]);
    out.push_back(std::move(h));
    return true;
  });
  if (!status.ok()) return std::move(status).error();
  return out;
}

}  // namespace distill::catalog::rpm
