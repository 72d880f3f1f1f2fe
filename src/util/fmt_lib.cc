// fmt's compiled (non-template) part, built into distill. Debian ships libfmt only as a shared
// library, and any shared C++ library drags the shared libstdc++ into every process; with this
// translation unit the distill binary links libstdc++ statically, which spares every run loading
// and relocating libstdc++.so (the sbom RSS goal, see CMakeLists.txt). The definitions come from
// fmt's own format-inl.h; the explicit instantiations are the ones format.h declares extern.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {
template FMT_API auto thousands_sep_impl<char>(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto thousands_sep_impl<wchar_t>(locale_ref) -> thousands_sep_result<wchar_t>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API auto decimal_point_impl(locale_ref) -> wchar_t;
}  // namespace detail
FMT_END_NAMESPACE
