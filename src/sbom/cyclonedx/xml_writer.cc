// CycloneDX document → XML (schema/bom-1.6.xsd, bom-1.5.xsd). Element order follows the xsd
// sequences: metadata (timestamp, tools, component, properties), components, dependencies;
// component (publisher, name, version, description, hashes, licenses, cpe, purl, properties).
#include <fmt/format.h>

#include "sbom/cyclonedx/model.h"

namespace distill::sbom::cyclonedx {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0.
size_t Utf8Length(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return 0;
  }
  return n;
}

// Escapes markup characters; drops what XML 1.0 cannot hold (control characters) and replaces
// invalid UTF-8 with U+FFFD, as the JSON writers do.
std::string Esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = Utf8Length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    char c = s[i];
    if (n == 1) {
      if (c == '&') out += "&amp;";
      else if (c == '<') out += "&lt;";
      else if (c == '>') out += "&gt;";
      else if (c == '"') out += "&quot;";
      else if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += c;
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

class XmlOut {
 public:
  explicit XmlOut(std::ostream& out) : out_(out) {}
  void Open(std::string_view tag, std::string_view attrs = "") {
    Indent();
    out_ << '<' << tag << attrs << ">\n";
    ++depth_;
  }
  void Close(std::string_view tag) {
    --depth_;
    Indent();
    out_ << "</" << tag << ">\n";
  }
  // Skipped when the value is empty, unless always.
  void Leaf(std::string_view tag, std::string_view value, std::string_view attrs = "", bool always = false) {
    if (value.empty() && !always) return;
    Indent();
    out_ << '<' << tag << attrs << '>' << Esc(value) << "</" << tag << ">\n";
  }
  void Empty(std::string_view tag, std::string_view attrs) {
    Indent();
    out_ << '<' << tag << attrs << "/>\n";
  }

 private:
  void Indent() { out_ << std::string(depth_ * 2, ' '); }
  std::ostream& out_;
  int depth_ = 0;
};

std::string Attr(std::string_view name, std::string_view value) { return fmt::format(" {}=\"{}\"", name, Esc(value)); }

void WriteProperties(XmlOut& x, const std::vector<Property>& props) {
  if (props.empty()) return;
  x.Open("properties");
  for (const auto& p : props) {
    if (p.value.empty()) x.Empty("property", Attr("name", p.name));
    else x.Leaf("property", p.value, Attr("name", p.name));
  }
  x.Close("properties");
}

void WriteComponent(XmlOut& x, const Component& c) {
  x.Open("component", Attr("type", c.type) + Attr("bom-ref", c.bom_ref));
  x.Leaf("publisher", c.publisher);
  x.Leaf("name", c.name, "", /*always=*/true);  // required by the xsd
  x.Leaf("version", c.version);
  x.Leaf("description", c.description);
  if (!c.hashes.empty()) {
    x.Open("hashes");
    for (const auto& h : c.hashes) x.Leaf("hash", h.content, Attr("alg", h.alg));
    x.Close("hashes");
  }
  if (!c.licenses.expression.empty()) {
    x.Open("licenses");
    x.Leaf("expression", c.licenses.expression);
    x.Close("licenses");
  } else if (!c.licenses.list.empty()) {
    x.Open("licenses");
    for (const auto& l : c.licenses.list) {
      x.Open("license");
      x.Leaf(l.kind == License::Kind::kId ? "id" : "name", l.value);
      x.Close("license");
    }
    x.Close("licenses");
  }
  x.Leaf("cpe", c.cpe);
  x.Leaf("purl", c.purl);
  WriteProperties(x, c.properties);
  x.Close("component");
}

}  // namespace

Status WriteXml(const Document& d, std::ostream& out) {
  XmlOut x(out);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x.Open("bom", Attr("xmlns", "http://cyclonedx.org/schema/bom/" + d.spec_version) +
                    Attr("serialNumber", d.serial_number) + Attr("version", "1"));
  x.Open("metadata");
  x.Leaf("timestamp", d.timestamp);
  x.Open("tools");
  x.Open("components");
  x.Open("component", Attr("type", "application"));
  x.Leaf("name", d.tool_name);
  x.Leaf("version", d.tool_version);
  x.Close("component");
  x.Close("components");
  x.Close("tools");
  WriteComponent(x, d.root);
  WriteProperties(x, d.metadata_properties);
  x.Close("metadata");
  x.Open("components");
  for (const auto& c : d.components) WriteComponent(x, c);
  x.Close("components");
  x.Open("dependencies");
  for (const auto& dep : d.dependencies) {
    if (dep.depends_on.empty()) {
      x.Empty("dependency", Attr("ref", dep.ref));
      continue;
    }
    x.Open("dependency", Attr("ref", dep.ref));
    for (const auto& to : dep.depends_on) x.Empty("dependency", Attr("ref", to));
    x.Close("dependency");
  }
  x.Close("dependencies");
  x.Close("bom");
  if (!out) return InternalErrorf("cyclonedx-xml: write failed");
  return {};
}

}  // namespace distill::sbom::cyclonedx
