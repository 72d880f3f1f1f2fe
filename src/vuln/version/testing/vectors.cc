#include "vuln/version/testing/vectors.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <unistd.h>
#include <nlohmann/json.hpp>

namespace distill::vuln::version::testing {

std::vector<std::string> ReadLines(const std::string& name) {
  std::ifstream in(std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/version-vectors/" + name);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::vector<std::string>> ReadTsv(const std::string& name) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> lines = ReadLines(name);
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> cols;
    std::string cell;
    for (char c : lines[i]) {
      if (c == '\t') {
        cols.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
    cols.push_back(cell);
    rows.push_back(cols);
  }
  return rows;
}

std::string JsonString(const std::string& literal) {
  return nlohmann::json::parse(literal).get<std::string>();
}

std::vector<std::string> RunOracle(const std::string& command, const std::string& input) {
  char path[] = "/tmp/distill-oracle-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return {};
  FILE* f = fdopen(fd, "w");
  fwrite(input.data(), 1, input.size(), f);
  fclose(f);
  std::vector<std::string> out;
  std::string cmd = "{ " + command + "\n} < " + path;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    std::string line;
    char buf[4096];
    while (fgets(buf, sizeof buf, p)) {
      line += buf;
      if (!line.empty() && line.back() == '\n') {
        line.pop_back();
        out.push_back(line);
        line.clear();
      }
    }
    if (!line.empty()) out.push_back(line);
    if (pclose(p) != 0) out.clear();
  }
  unlink(path);
  return out;
}

bool HaveCommand(const std::string& probe) {
  return std::system((probe + " >/dev/null 2>&1").c_str()) == 0;
}

std::vector<std::string> AptVersions() {
  std::vector<std::string> files =
      RunOracle("apt-get indextargets --format '$(FILENAME)' 'Identifier: Packages'", "");
  std::set<std::string> versions;
  for (const std::string& file : files) {
    for (const std::string& line :
         RunOracle("/usr/lib/apt/apt-helper cat-file '" + file + "' | grep '^Version: '", "")) {
      versions.insert(line.substr(9));
    }
  }
  return {versions.begin(), versions.end()};
}

uint64_t Rng::Next() {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace distill::vuln::version::testing
