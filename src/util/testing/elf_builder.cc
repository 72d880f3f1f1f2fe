#include "util/testing/elf_builder.h"

namespace distill::elf::testing {

namespace {

// The ELF identification of a 64-bit little-endian file, version 1.
void PutIdent(std::string* out) {
  (*out)[0] = 0x7f, (*out)[1] = 'E', (*out)[2] = 'L', (*out)[3] = 'F', (*out)[4] = 2, (*out)[5] = 1,
  (*out)[6] = 1;
}

// PutLE that first grows s to hold the field.
void Put(std::string* s, size_t at, uint64_t v, int width) {
  if (s->size() < at + width) s->resize(at + width, '\0');
  PutLE(s, at, v, width);
}

}  // namespace

void PutLE(std::string* s, size_t off, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) (*s)[off + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

std::string MakeElf(const std::string& interp, const std::vector<std::string>& needed,
                    const std::string& runpath) {
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
  for (const auto& n : needed)
    needed_off.push_back(strtab.size()), strtab += n + std::string(1, '\0');
  uint64_t runpath_off = strtab.size();
  if (!runpath.empty()) strtab += runpath + std::string(1, '\0');
  out += strtab;
  while (out.size() % 8) out += '\0';
  size_t dyn_off = out.size();
  std::vector<std::pair<uint64_t, uint64_t>> dyn;
  for (uint64_t o : needed_off) dyn.push_back({1, o});     // DT_NEEDED
  dyn.push_back({5, kBase + strtab_off});                  // DT_STRTAB
  dyn.push_back({10, strtab.size()});                      // DT_STRSZ
  if (!runpath.empty()) dyn.push_back({29, runpath_off});  // DT_RUNPATH
  dyn.push_back({0, 0});                                   // DT_NULL
  for (const auto& [t, v] : dyn) {
    size_t at = out.size();
    Put(&out, at, t, 8);
    Put(&out, at + 8, v, 8);
  }
  // ELF header.
  PutIdent(&out);
  Put(&out, 0x10, 2, 2);   // ET_EXEC
  Put(&out, 0x12, 62, 2);  // EM_X86_64
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

std::string MakeElf64(const std::vector<std::pair<std::string, std::string>>& sections) {
  std::string out(64, '\0');
  PutIdent(&out);
  std::string names(1, '\0');
  struct Sh {
    uint64_t name, offset, size;
  };
  std::vector<Sh> hs{{0, 0, 0}};  // the null section
  for (const auto& [name, data] : sections) {
    while (out.size() % 16) out += '\0';
    hs.push_back({names.size(), out.size(), data.size()});
    names += name + '\0';
    out += data;
  }
  hs.push_back({names.size(), out.size() + 0, 0});
  names += std::string(".shstrtab") + '\0';
  hs.back().offset = out.size();
  hs.back().size = names.size();
  out += names;
  while (out.size() % 8) out += '\0';
  uint64_t shoff = out.size();
  for (const Sh& h : hs) {
    std::string sh(64, '\0');
    PutLE(&sh, 0, h.name, 4);
    PutLE(&sh, 4, h.offset ? 1 : 0, 4);  // SHT_PROGBITS
    PutLE(&sh, 24, h.offset, 8);
    PutLE(&sh, 32, h.size, 8);
    out += sh;
  }
  PutLE(&out, 0x28, shoff, 8);
  PutLE(&out, 0x3A, 64, 2);
  PutLE(&out, 0x3C, hs.size(), 2);
  PutLE(&out, 0x3E, hs.size() - 1, 2);
  return out;
}

std::string MakeSectionlessElf64(const std::string& text, const std::string& data) {
  std::string out(64 + 2 * 56, '\0');
  PutIdent(&out);
  PutLE(&out, 0x20, 64, 8);  // e_phoff
  PutLE(&out, 0x36, 56, 2);  // e_phentsize
  PutLE(&out, 0x38, 2, 2);   // e_phnum
  auto segment = [&](int i, uint32_t flags, const std::string& bytes) {
    while (out.size() % 16) out += '\0';
    size_t ph = 64 + i * 56;
    PutLE(&out, ph, 1, 4);  // PT_LOAD
    PutLE(&out, ph + 4, flags, 4);
    PutLE(&out, ph + 8, out.size(), 8);
    PutLE(&out, ph + 16, kSegmentBase + out.size(), 8);  // p_vaddr
    PutLE(&out, ph + 32, bytes.size(), 8);
    out += bytes;
  };
  segment(0, 5, text);  // R+X
  segment(1, 6, data);  // R+W
  return out;
}

}  // namespace distill::elf::testing
