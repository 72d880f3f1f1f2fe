// The pieces of a Java archive that name it: META-INF/MANIFEST.MF (JAR File Specification,
// https://docs.oracle.com/en/java/javase/21/docs/specs/jar/jar.html#jar-manifest),
// META-INF/maven/<group>/<artifact>/pom.properties and pom.xml, and the archive's file name.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace distill::catalog::java {

using Section = std::vector<std::pair<std::string, std::string>>;

struct Manifest {
  Section main;
  std::vector<Section> sections;
  std::string Get(std::string_view key) const;  // from the main section, "" if absent
};

// Sections separated by blank lines; "Key: value"; a line starting with one space continues the
// previous value; lines that are neither (junk) are skipped, as syft and the JDK tolerate them.
Manifest ParseManifest(std::string_view text);

struct PomProperties {
  std::string group_id, artifact_id, version, name;
  std::map<std::string, std::string> extra;
};
// Java .properties: the first unescaped ':' or '=' (or whitespace) separates key and value.
PomProperties ParsePomProperties(std::string_view text);

struct PomXml {
  std::string group_id, artifact_id, version, name;
};
// The project's own coordinates (falling back to <parent>'s groupId/version); ${...} left as is.
PomXml ParsePomXml(std::string_view text);

struct FileNameParts {
  std::string name, version, extension;
};
// "commons-jelly-1.1-hudson-20100305.jar" -> {commons-jelly, 1.1-hudson-20100305, jar}; a path or
// "outer.war:inner.jar" is reduced to its last part first.
FileNameParts ParseFileName(std::string_view path);

}  // namespace distill::catalog::java
