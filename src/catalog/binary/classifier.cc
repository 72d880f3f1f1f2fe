#include "catalog/binary/classifier.h"

#include <map>
#include <mutex>
#include <regex>

#include "catalog/language.h"
#include "image/file_index.h"
#include "util/glob.h"

namespace distill::catalog::binary {

namespace {

constexpr std::string_view kName = "binary-classifier-cataloger";
constexpr size_t kWindowBefore = 64, kWindowAfter = 192;
constexpr int kMaxAnchorHits = 20000;  // bounds the work on binaries full of "\0v"

std::string Replace(std::string_view s, std::string_view v) {
  std::string out(s);
  for (size_t at; (at = out.find("{v}")) != std::string::npos;) out.replace(at, 3, v);
  return out;
}

std::string EscapeRegex(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

const std::regex& Compiled(const std::string& pattern) {
  static std::mutex mu;
  static std::map<std::string, std::regex> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(pattern);
  if (it == cache.end()) it = cache.emplace(pattern, std::regex(pattern, std::regex::ECMAScript | std::regex::optimize)).first;
  return it->second;
}

}  // namespace

const std::vector<Classifier>& Classifiers() {
  using namespace std::string_view_literals;
  static const std::vector<Classifier> kTable = {
      {"python-binary", "python", {"python*"}, "{v}.", R"((?:^|[^0-9.])({v}\.[0-9]+[-_a-zA-Z0-9]*))",
       R"(^python([0-9]+(?:\.[0-9]+)+)$)", "python_software_foundation:python"},
      {"python-binary-lib", "python", {"libpython*.so*"}, "{v}.", R"((?:^|[^0-9.])({v}\.[0-9]+[-_a-zA-Z0-9]*))",
       R"(^libpython([0-9]+(?:\.[0-9]+)+)[a-z]?\.so)", "python_software_foundation:python"},
      {"nodejs-binary", "node", {"node"}, "node.js/v", R"(node\.js\/v([0-9]+\.[0-9]+\.[0-9]+))", "", "nodejs:node.js"},
      {"nodejs-binary", "node", {"node"}, "\0node v"sv, R"(\x00node v((0|4|5|6)\.[0-9]+\.[0-9]+)\x00)", "", "nodejs:node.js"},
      {"nodejs-binary", "node", {"node"}, "\0v"sv, R"(\x00v((0|4|5|6)\.[0-9]+\.[0-9]+)\x00)", "", "nodejs:node.js"},
      {"busybox-binary", "busybox", {"busybox", "["}, "BusyBox", R"(BusyBox\s+v([0-9]+\.[0-9]+\.[0-9]+))", "", "busybox:busybox"},
      {"openssl-binary-aws-lc", "aws-lc", {"openssl"}, "AWS-LC ", R"(AWS-LC ([0-9]+\.[0-9]+\.[0-9]+)\)\x00)", "", ""},
      {"openssl-binary", "openssl", {"openssl"}, "\0OpenSSL "sv,
       R"(\x00OpenSSL ([0-9]+\.[0-9]+\.[0-9]+([a-z]+|-alpha[0-9]|-beta[0-9]|-rc[0-9])?))", "", "openssl:openssl"},
      {"curl-binary", "curl", {"curl"}, "curl/", R"(curl\/([0-9]+\.[0-9]+\.[0-9]+))", "", "haxx:curl"},
      {"nginx-binary", "nginx", {"nginx"}, "nginx version: ",
       R"((?:\x00|\?)nginx version: [^\/]+\/([0-9]+\.[0-9]+\.[0-9]+(?:\+\d+)?(?:-\d+)?))", "", "f5:nginx"},
      {"redis-binary", "redis", {"redis-server"}, "Redis version ", R"(Redis version ([0-9]+\.[0-9]+\.[0-9]+))", "", "redislabs:redis"},
      {"redis-binary", "redis", {"redis-server"}, "000000000", R"([^\d]([0-9]+\.[0-9]+\.[0-9]+)\w{12}-\d+)", "", "redislabs:redis"},
      {"redis-binary", "redis", {"redis-server"}, "buildkitsandbox-", R"([^\d](\d+\.\d+\.\d+)buildkitsandbox-\d+)", "", "redislabs:redis"},
      {"postgresql-binary", "postgresql", {"postgres"}, "PostgreSQL ",
       R"((?:\x00|\?)PostgreSQL ([0-9]+(\.[0-9]+)?(\.[0-9]+)?(alpha[0-9]|beta[0-9]|rc[0-9])?))", "", "postgresql:postgresql"},
      {"bash-binary", "bash", {"bash"}, "Bash version ", R"(@\(#\)Bash version ([0-9]+\.[0-9]+\.[0-9]+)\([0-9]\) [a-z0-9]+ GNU)", "", "gnu:bash"},
      {"httpd-binary", "httpd", {"httpd"}, "Apache/", R"(Apache\/([0-9]+\.[0-9]+\.[0-9]+))", "", "apache:http_server"},
      {"memcached-binary", "memcached", {"memcached"}, "memcached", R"(memcached\s([0-9]+\.[0-9]+\.[0-9]+))", "", "memcached:memcached"},
      {"haproxy-binary", "haproxy", {"haproxy"}, "HA-Proxy version ", R"(HA-Proxy version ([0-9]+\.[0-9]+(\.|-dev)[0-9]+))", "", "haproxy:haproxy"},
      {"haproxy-binary", "haproxy", {"haproxy"}, ", released 20",
       R"(version ([0-9]+\.[0-9]+(\.|-dev|-rc)[0-9]+)(-[a-z0-9]{7})?, released 20)", "", "haproxy:haproxy"},
      {"haproxy-binary", "haproxy", {"haproxy"}, "HAProxy version",
       R"(([0-9]+\.[0-9]+(\.|-dev)[0-9]+)-[0-9a-zA-Z]{7}[\s\S]{1,64}HAProxy version)", "", "haproxy:haproxy"},
      {"perl-binary", "perl", {"perl"}, "/usr/local/lib/perl", R"(\/usr\/local\/lib\/perl\d\/([0-9]+\.[0-9]+\.[0-9]+))", "", "perl:perl"},
      {"zstd-binary", "zstd", {"zstd"}, "\0v"sv, R"(\x00v([0-9]+\.[0-9]+\.[0-9]+)\x00)", "", "facebook:zstandard"},
      {"lighttpd-binary", "lighttpd", {"lighttpd"}, "\0lighttpd/"sv, R"(\x00lighttpd/([0-9]+\.[0-9]+\.[0-9]+)\x00)", "", "lighttpd:lighttpd"},
      {"jq-binary", "jq", {"jq"}, "\0"sv, R"(\x00([0-9]{1,3}\.[0-9]{1,3}(\.[0-9]+)?)\x00)", "", "jqlang:jq"},
  };
  return kTable;
}

std::string Classify(const Classifier& c, std::string_view base_name, std::string_view contents) {
  bool named = false;
  for (std::string_view g : c.name_globs) named = named || GlobMatch(g, base_name);
  if (!named) return "";
  std::string v;
  if (!c.name_version.empty()) {
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(base_name.begin(), base_name.end(), m, Compiled(std::string(c.name_version)))) return "";
    v = m[1].str();
  }
  std::string anchor = Replace(c.anchor, v);
  const std::regex& re = Compiled(Replace(c.regex, EscapeRegex(v)));
  size_t pos = 0;
  for (int hits = 0; hits < kMaxAnchorHits; ++hits) {
    pos = contents.find(anchor, pos);
    if (pos == std::string_view::npos) return "";
    size_t from = pos > kWindowBefore ? pos - kWindowBefore : 0;
    std::string_view window = contents.substr(from, kWindowBefore + kWindowAfter);
    std::match_results<std::string_view::const_iterator> m;
    auto begin = window.begin();
    while (std::regex_search(begin, window.end(), m, re)) {
      // the match must contain this anchor hit, so each hit is judged once
      size_t mstart = static_cast<size_t>(m[0].first - window.begin()) + from;
      size_t mend = static_cast<size_t>(m[0].second - window.begin()) + from;
      if (mstart <= pos && pos + anchor.size() <= mend) return m[1].str();
      if (m[0].first == m[0].second) break;
      begin = m[0].first + 1;
    }
    pos += 1;
  }
  return "";
}

bool ClassifyFile(std::string_view path, std::string_view contents, const image::Location& where, Package* out) {
  std::string_view base = image::Basename(path);
  for (const Classifier& c : Classifiers()) {
    std::string v = Classify(c, base, contents);
    if (v.empty()) continue;
    *out = NewLanguagePackage(std::string(c.package), v, "binary", kName, Purl{"generic", "", std::string(c.package), v, {}, ""}, where, std::string(c.cls));
    if (!c.cpe.empty()) out->cpes.push_back("cpe:2.3:a:" + std::string(c.cpe) + ":" + v + ":*:*:*:*:*:*:*");
    return true;
  }
  return false;
}

}  // namespace distill::catalog::binary
