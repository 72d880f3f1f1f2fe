#include "cli/commands.h"

namespace distill::cli {

RunFn SetupInspect(CLI::App& sub, const Globals& g) {
  auto source = std::make_shared<std::string>();
  sub.add_option("image", *source, "Image source")->required();
  return [source] { return ReportError(InternalErrorf("inspect: not implemented yet")); };
}

}  // namespace distill::cli
