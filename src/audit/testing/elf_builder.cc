#include "audit/testing/elf_builder.h"

#include <cstdint>

namespace distill::audit::testing {

namespace {

void Put(std::string* out, size_t at, uint64_t v, int width) {
  if (out->size() < at + width) out->resize(at + width, '\0');
  for (int i = 0; i < width; ++i) (*out)[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

}  // namespace

std::string MakeElf(const std::string& interp, const std::vector<std::string>& needed, const std::string& runpath) {
  constexpr uint64_t kBase = 0x400000;
  const bool dynamic = !needed.empty() || !runpath.empty();
  const int phnum = 1 + (interp.empty() ? 0 : 1) + (dynamic ? 1 : 0);
  std::string out(64 + 56 * phnum, '\0');
  // Interpreter string, string table, dynamic section.
  size_t interp_off = out.size();
  out += interp + std::string(1, '\0');
  size_t strtab_off = out.size();
  std::string strtab(1, '\0');
  std::vector<uint64_t> needed_off;
  for (const auto& n : needed) needed_off.push_back(strtab.size()), strtab += n + std::string(1, '\0');
  uint64_t runpath_off = strtab.size();
  if (!runpath.empty()) strtab += runpath + std::string(1, '\0');
  out += strtab;
  while (out.size() % 8) out += '\0';
  size_t dyn_off = out.size();
  std::vector<std::pair<uint64_t, uint64_t>> dyn;
  for (uint64_t o : needed_off) dyn.push_back({1, o});            // DT_NEEDED
  dyn.push_back({5, kBase + strtab_off});                         // DT_STRTAB
  dyn.push_back({10, strtab.size()});                             // DT_STRSZ
  if (!runpath.empty()) dyn.push_back({29, runpath_off});         // DT_RUNPATH
  dyn.push_back({0, 0});                                          // DT_NULL
  for (const auto& [t, v] : dyn) {
    size_t at = out.size();
    Put(&out, at, t, 8);
    Put(&out, at + 8, v, 8);
  }
  // ELF header.
  out[0] = 0x7f, out[1] = 'E', out[2] = 'L', out[3] = 'F', out[4] = 2, out[5] = 1, out[6] = 1;
  Put(&out, 0x10, 2, 2);      // ET_EXEC
  Put(&out, 0x12, 62, 2);     // EM_X86_64
  Put(&out, 0x14, 1, 4);
  Put(&out, 0x20, 64, 8);     // e_phoff
  Put(&out, 0x34, 64, 2);     // e_ehsize
  Put(&out, 0x36, 56, 2);     // e_phentsize
  Put(&out, 0x38, phnum, 2);  // e_phnum
  int i = 0;
  auto phdr = [&](uint32_t type, uint64_t off, uint64_t size) {
    size_t at = 64 + 56 * i++;
    Put(&out, at, type, 4);
    Put(&out, at + 8, off, 8);
    Put(&out, at + 16, kBase + off, 8);
    Put(&out, at + 24, kBase + off, 8);
    Put(&out, at + 32, size, 8);
    Put(&out, at + 40, size, 8);
  };
  phdr(1, 0, out.size());  // PT_LOAD: the whole file
  if (!interp.empty()) phdr(3, interp_off, interp.size() + 1);
  if (dynamic) phdr(2, dyn_off, dyn.size() * 16);
  return out;
}

}  // namespace distill::audit::testing
