// `distill audit` and `distill compare` on the real Debian 12 test images
// (scripts/make-test-images.sh): minbase (bash, apt, dpkg: not distroless), python3+flask, and the
// distroless-layout tree (status.d, no shell) wrapped into an image that runs as nonroot.

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/audit_run.h"
#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace distill::testing;

std::string Images() {
  const char* env = std::getenv("DISTILL_TEST_IMAGES");
  return env && *env ? env : "/var/cache/distill/test-images";
}

#define NEED(path) \
  if (!fs::exists(path)) GTEST_SKIP() << "no " << (path) << " (scripts/make-test-images.sh)"

const audit::Finding* FindingAt(const audit::Report& report, std::string_view rule,
                                std::string_view path) {
  for (const auto& f : report.findings)
    if (f.rule_id == rule && f.path == path) return &f;
  return nullptr;
}

audit::Report Audit(const std::string& src, const audit::Policy& policy = {}) {
  auto a = LoadAndAudit(src, Globals{}, policy);
  EXPECT_TRUE(a.ok()) << a.error().message;
  return a.ok() ? a->report : audit::Report{};
}

TEST(RealAudit, MinbaseIsNotDistroless) {
  NEED(Images() + "/minbase.docker.tar");
  audit::Report r = Audit("docker-archive:" + Images() + "/minbase.docker.tar");
  EXPECT_FALSE(r.distroless);
  const audit::Finding* bash = FindingAt(r, "shell", "usr/bin/bash");
  ASSERT_NE(bash, nullptr);
  EXPECT_EQ(bash->package, "bash");
  EXPECT_EQ(bash->layer, 0);
  for (auto [path, pkg] :
       {std::pair{"usr/bin/apt", "apt"}, {"usr/bin/apt-get", "apt"}, {"usr/bin/dpkg", "dpkg"}}) {
    const audit::Finding* f = FindingAt(r, "package-manager", path);
    ASSERT_NE(f, nullptr) << path;
    EXPECT_EQ(f->package, pkg);
  }
  EXPECT_NE(FindingAt(r, "shell", "usr/bin/dash"), nullptr);
  EXPECT_NE(FindingAt(r, "setuid", "usr/bin/su"), nullptr);
  EXPECT_NE(FindingAt(r, "runs-as-root", ""), nullptr);
  // Every executable of a Debian system belongs to a package; none lacks its libraries.
  for (const auto& f : r.findings) {
    EXPECT_NE(f.rule_id, "unowned-executable") << f.path;
    EXPECT_NE(f.rule_id, "elf-missing-library") << f.path << " " << f.evidence;
    EXPECT_NE(f.rule_id, "elf-missing-interpreter") << f.path;
    EXPECT_FALSE(f.rule_id.starts_with("secret-")) << f.path << " " << f.evidence;
  }
}

TEST(RealAudit, PyflaskWithPythonRuntimePolicy) {
  NEED(Images() + "/oci");
  auto p = audit::ParsePolicy("runtime: [python3]\n", "python.yaml");
  ASSERT_TRUE(p.ok());
  audit::Report r = Audit("oci-dir:" + Images() + "/oci:pyflask", *p);
  EXPECT_FALSE(r.distroless);  // bash, apt, dpkg are still there
  const audit::Finding* py = FindingAt(r, "interpreter", "usr/bin/python3.11");
  ASSERT_NE(py, nullptr);
  EXPECT_EQ(py->package, "python3.11-minimal");
  EXPECT_EQ(py->allowed_by, "python.yaml: runtime python3.11");
  const audit::Finding* perl = FindingAt(r, "interpreter", "usr/bin/perl");
  ASSERT_NE(perl, nullptr);
  EXPECT_EQ(perl->allowed_by, "");
  EXPECT_NE(FindingAt(r, "shell", "usr/bin/bash"), nullptr);
  EXPECT_EQ(FindingAt(r, "shell", "usr/bin/bash")->layer, 0);
  for (const auto& f : r.findings) EXPECT_NE(f.rule_id, "unowned-executable") << f.path;
}

// rootfs-statusd as a one-layer image plus a layer with a nonroot account, User 65532.
std::string StatusdImage() {
  std::string root = Images() + "/rootfs-statusd";
  std::vector<TarEntry> entries;
  std::vector<fs::path> paths;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it)
    paths.push_back(it->path());
  std::sort(paths.begin(), paths.end());
  for (const fs::path& p : paths) {
    TarEntry e;
    e.name = p.lexically_relative(root).string();  // fs::relative would follow the symlink
    auto st = fs::symlink_status(p);
    e.mode = static_cast<unsigned>(st.permissions()) & 07777;
    if (fs::is_symlink(st)) {
      e.type = '2', e.link = fs::read_symlink(p).string();
    } else if (fs::is_directory(st)) {
      e.type = '5';
    } else if (fs::is_regular_file(st)) {
      std::ifstream in(p, std::ios::binary);
      e.data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    } else {
      continue;
    }
    entries.push_back(std::move(e));
  }
  TestImage img;
  img.tag = "statusd";
  img.layers.push_back({MakeTar(entries), image::Compression::kGzip});
  img.layers.push_back(
      Layer("file etc/passwd 0644 "
            "root:x:0:0:root:/root:/sbin/nologin\\nnonroot:x:65532:65532::/home/nonroot:/sbin/"
            "nologin\\n\n"
            "dir home/nonroot 0700\n"));
  img.config = {{"User", "65532"}, {"Entrypoint", {"/usr/bin/app"}}};
  std::string path = TempDir() + "/statusd.oci.tar";
  WriteTar(path, OciLayoutFiles({img}));
  return "oci-archive:" + path;
}

TEST(RealAudit, DistrolessLayoutRunningAsNonrootIsDistroless) {
  NEED(Images() + "/rootfs-statusd");
  audit::Report r = Audit(StatusdImage());
  EXPECT_TRUE(r.distroless);
  EXPECT_GE(r.score, 80);
  for (const auto& f : r.findings) {
    EXPECT_NE(f.severity, audit::Severity::kHigh) << f.rule_id << " " << f.path << " " << f.message;
    EXPECT_NE(f.severity, audit::Severity::kCritical)
        << f.rule_id << " " << f.path << " " << f.message;
  }
}

Ran Distill(const std::string& args) { return Run(std::string(DISTILL_BINARY) + " -q " + args); }

TEST(RealAuditSarif, ValidatesAgainstTheOfficialSchema) {
  NEED(Images() + "/minbase.docker.tar");
  ASSERT_EQ(std::system("python3 -c 'import jsonschema' 2>/dev/null"), 0)
      << "needs python3-jsonschema";
  Ran r =
      Distill("audit -o sarif --fail-on high docker-archive:" + Images() + "/minbase.docker.tar");
  EXPECT_EQ(r.rc, 1);
  std::string dir = TempDir(), doc = dir + "/audit.sarif", log = dir + "/validate.log";
  ASSERT_TRUE(WriteFileAtomic(doc, r.out).ok());
  std::string fixtures = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/";
  std::string cmd = "python3 '" + fixtures + "schemas/validate.py' '" + fixtures +
                    "scan/sarif-schema-2.1.0.json' '" + doc + "' > '" + log + "' 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << ReadFile(log).value();
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["version"], "2.1.0");
  EXPECT_GT(j["runs"][0]["results"].size(), 3u);
}

TEST(RealCompare, MinbaseVersusPyflask) {
  NEED(Images() + "/oci");
  std::string a = "oci-dir:" + Images() + "/oci:minbase",
              b = "oci-dir:" + Images() + "/oci:pyflask";
  Ran r = Distill("compare -o json " + a + " " + b);
  ASSERT_EQ(r.rc, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["a"]["layer_count"], 1);
  EXPECT_EQ(j["b"]["layer_count"], 2);
  EXPECT_GT(j["b"]["size"]["uncompressed"].get<uint64_t>(),
            j["a"]["size"]["uncompressed"].get<uint64_t>());
  EXPECT_GT(j["b"]["files"].get<int>(), j["a"]["files"].get<int>());
  bool flask = false;
  for (const auto& p : j["packages"]["added"]) flask = flask || p["name"] == "python3-flask";
  EXPECT_TRUE(flask);
  EXPECT_TRUE(j["packages"]["removed"].empty());
  EXPECT_EQ(j["a"]["audit"]["distroless"], false);
  Ran md = Distill("compare -o markdown " + a + " " + b);
  EXPECT_THAT(md.out, HasSubstr("| Layers | 1 | 2 | +1 |"));
  EXPECT_THAT(md.out, HasSubstr("| + | python3-flask |"));
  Ran table = Distill("compare " + a + " " + b);
  EXPECT_THAT(table.out, HasSubstr("Packages: "));
}

// The HTML report renders its charts in a real browser: headless Chromium takes a screenshot,
// and the chart area holds pixels of both image colors (A blue #4e79a7, B orange #f28e2b).
TEST(RealCompareHtml, ChartsRenderInHeadlessChromium) {
  NEED(Images() + "/oci");
  int rc = 0;
  Shell("command -v chromium", &rc);
  ASSERT_EQ(rc, 0) << "needs chromium (Debian package)";
  std::string dir = TempDir(), html = dir + "/report.html", png = dir + "/shot.png",
              db = dir + "/vuln.db";
  // A database from the real fixture records, so the vulnerability chart is drawn too.
  std::string fx = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/";
  ASSERT_EQ(Distill("db import --db " + db + " " + fx + "vuln/osv/GHSA-m2qf-hxjv-5gpq.json " + fx +
                    "vuln/vunnel/debian/test-fixtures/input/debian.json")
                .rc,
            0);
  Ran r = Distill("compare -o json --db " + db + " --html " + html + " oci-dir:" + Images() +
                  "/oci:minbase oci-dir:" + Images() + "/oci:pyflask");
  ASSERT_EQ(r.rc, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["a"]["vulnerabilities"].is_object());
  EXPECT_TRUE(j["b"]["vulnerabilities"].contains("CRITICAL"));
  std::string page = ReadFile(html).value();
  EXPECT_THAT(page, HasSubstr("<svg"));
  EXPECT_THAT(page, HasSubstr("Vulnerabilities by severity"));
  EXPECT_EQ(page.find("http://"),
            page.find("http://www.w3.org/2000/svg"));  // the SVG namespace only
  EXPECT_EQ(page.find("https://"), std::string::npos);
  // What the text output shows, the page shows: every summary row (vulnerabilities by severity and
  // the audit findings included) and each image's layers.
  Ran table = Distill("compare --db " + db + " oci-dir:" + Images() +
                      "/oci:minbase oci-dir:" + Images() + "/oci:pyflask");
  ASSERT_EQ(table.rc, 0);
  for (const char* metric : {"Size (compressed)", "Layers", "Files", "Packages", "Vulnerabilities",
                             "CRITICAL", "Distroless", "Audit score", "Audit findings"}) {
    EXPECT_THAT(table.out, HasSubstr(metric));
    EXPECT_THAT(page, HasSubstr(std::string(metric) + "</th>")) << metric;
  }
  EXPECT_THAT(page, HasSubstr("<h2>Layers of <span class=\"a\">"));
  EXPECT_THAT(page, HasSubstr("<h2>Layers of <span class=\"b\">"));
  for (const auto& layer : j["b"]["layers"])
    EXPECT_THAT(page, HasSubstr(layer["digest"].get<std::string>().substr(7, 12)));
  Shell("cd " + dir +
            " && timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "
            "--window-size=1000,700 --no-first-run --disable-background-networking "
            "--disable-component-update "
            "--disable-sync --disable-default-apps --screenshot=" +
            png + " file://" + html + " >/dev/null 2>&1",
        &rc);
  ASSERT_TRUE(fs::exists(png)) << "chromium wrote no screenshot (rc " << rc << ")";
  // Count pixels near each bar color in the top half (the charts come first).
  std::string py = R"(
import sys, zlib, struct
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n'
pos, idat, w, h = 8, b'', 0, 0
while pos < len(data):
    n, = struct.unpack('>I', data[pos:pos+4]); kind = data[pos+4:pos+8]; body = data[pos+8:pos+8+n]; pos += 12 + n
    if kind == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
    if kind == b'IDAT': idat += body
raw = zlib.decompress(idat); bpp = 4 if ctype == 6 else 3; stride = w * bpp
rows, prev = [], bytearray(stride)
for y in range(h):
    f = raw[y*(stride+1)]; line = bytearray(raw[y*(stride+1)+1:(y+1)*(stride+1)])
    for i in range(stride):
        a = line[i-bpp] if i >= bpp else 0; b = prev[i]; c = prev[i-bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p-a), abs(p-b), abs(p-c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
def count(rgb):
    n = 0
    for line in rows[:h//2]:
        for x in range(0, stride, bpp):
            if all(abs(line[x+k] - rgb[k]) < 24 for k in range(3)): n += 1
    return n
def rightmost(rgb):
    right = 0
    for line in rows:
        for x in range(0, stride, bpp):
            if all(abs(line[x+k] - rgb[k]) < 24 for k in range(3)): right = max(right, x // bpp)
    return right
print(count((0x4e, 0x79, 0xa7)), count((0xf2, 0x8e, 0x2b)), rightmost((0xcc, 0xcc, 0xcc)), w)
)";
  ASSERT_TRUE(WriteFileAtomic(dir + "/count.py", py).ok());
  std::string counts = Shell("python3 " + dir + "/count.py " + png, &rc);
  ASSERT_EQ(rc, 0) << counts;
  int blue = 0, orange = 0, right = 0, width = 0;
  ASSERT_EQ(std::sscanf(counts.c_str(), "%d %d %d %d", &blue, &orange, &right, &width), 4)
      << counts;
  EXPECT_GT(blue, 500) << counts;
  EXPECT_GT(orange, 500) << counts;
  // The tables' borders (#ccc) reach across the page, not just the width of their text.
  EXPECT_GT(right, width * 9 / 10) << counts;
}

}  // namespace
}  // namespace distill::cli
