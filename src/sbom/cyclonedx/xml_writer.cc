// CycloneDX document → XML (schema/bom-1.6.xsd, bom-1.5.xsd). Element order follows the xsd
// sequences: metadata (timestamp, tools, component, properties), components, dependencies;
// component (publisher, name, version, description, hashes, licenses, cpe, purl, properties).
#include <fmt/format.h>

#include "sbom/cyclonedx/model.h"

namespace distill::sbom::cyclonedx {

namespace {

// Length of the valid UTF-8 sequence at text[i], or 0.
size_t Utf8Length(std::string_view text, size_t i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 0;
  }
  return n;
}

// Escapes markup characters; drops what XML 1.0 cannot hold (control characters) and replaces
// invalid UTF-8 with U+FFFD, as the JSON writers do.
std::string Esc(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = Utf8Length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    char c = text[i];
    if (n == 1) {
      if (c == '&')
        out += "&amp;";
      else if (c == '<')
        out += "&lt;";
      else if (c == '>')
        out += "&gt;";
      else if (c == '"')
        out += "&quot;";
      else if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r')
        out += c;
    } else {
      out.append(text.substr(i, n));
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
  void Leaf(std::string_view tag, std::string_view value, std::string_view attrs = "",
            bool always = false) {
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

std::string Attr(std::string_view name, std::string_view value) {
  return fmt::format(" {}=\"{}\"", name, Esc(value));
}

void WriteProperties(XmlOut& xml, const std::vector<Property>& props) {
  if (props.empty()) return;
  xml.Open("properties");
  for (const auto& p : props) {
    if (p.value.empty())
      xml.Empty("property", Attr("name", p.name));
    else
      xml.Leaf("property", p.value, Attr("name", p.name));
  }
  xml.Close("properties");
}

void WriteComponent(XmlOut& xml, const Component& component) {
  xml.Open("component", Attr("type", component.type) + Attr("bom-ref", component.bom_ref));
  xml.Leaf("publisher", component.publisher);
  xml.Leaf("name", component.name, "", /*always=*/true);  // required by the xsd
  xml.Leaf("version", component.version);
  xml.Leaf("description", component.description);
  if (!component.hashes.empty()) {
    xml.Open("hashes");
    for (const auto& h : component.hashes) xml.Leaf("hash", h.content, Attr("alg", h.alg));
    xml.Close("hashes");
  }
  if (!component.licenses.expression.empty()) {
    xml.Open("licenses");
    xml.Leaf("expression", component.licenses.expression);
    xml.Close("licenses");
  } else if (!component.licenses.list.empty()) {
    xml.Open("licenses");
    for (const auto& l : component.licenses.list) {
      xml.Open("license");
      xml.Leaf(l.kind == License::Kind::kId ? "id" : "name", l.value);
      xml.Close("license");
    }
    xml.Close("licenses");
  }
  xml.Leaf("cpe", component.cpe);
  xml.Leaf("purl", component.purl);
  WriteProperties(xml, component.properties);
  xml.Close("component");
}

}  // namespace

Status WriteXml(const Document& doc, std::ostream& out) {
  XmlOut x(out);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x.Open("bom", Attr("xmlns", "http://cyclonedx.org/schema/bom/" + doc.spec_version) +
                    Attr("serialNumber", doc.serial_number) + Attr("version", "1"));
  x.Open("metadata");
  x.Leaf("timestamp", doc.timestamp);
  x.Open("tools");
  x.Open("components");
  x.Open("component", Attr("type", "application"));
  x.Leaf("name", doc.tool_name);
  x.Leaf("version", doc.tool_version);
  x.Close("component");
  x.Close("components");
  x.Close("tools");
  WriteComponent(x, doc.root);
  WriteProperties(x, doc.metadata_properties);
  x.Close("metadata");
  x.Open("components");
  for (const auto& c : doc.components) WriteComponent(x, c);
  x.Close("components");
  x.Open("dependencies");
  for (const auto& dep : doc.dependencies) {
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
