#include "util/log.h"

#include <atomic>

namespace distill::log {
namespace {
std::atomic<Level> g_level{Level::kNormal};
}
Level level() { return g_level.load(std::memory_order_relaxed); }
void set_level(Level l) { g_level.store(l, std::memory_order_relaxed); }
}  // namespace distill::log
