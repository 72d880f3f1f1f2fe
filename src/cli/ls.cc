#include "cli/commands.h"

namespace distill::cli {

RunFn SetupLs(CLI::App& sub, const Globals& g) {
  auto source = std::make_shared<std::string>();
  sub.add_option("image", *source, "Image source")->required();
  return [source] { return ReportError(InternalErrorf("ls: not implemented yet")); };
}

}  // namespace distill::cli
