// A streaming JSON writer for the SBOM encoders: appends to a string, pretty-printed exactly as
// nlohmann::json::dump(indent) prints (so any JSON library reads it and the snapshots are stable),
// but without building a DOM first — documents with 100k files are written in milliseconds.
// Strings are written as UTF-8; invalid UTF-8 becomes U+FFFD, control characters are escaped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace distill::sbom {

class JsonOut {
 public:
  explicit JsonOut(int indent) : indent_(indent) {}

  void BeginObject() { Open('{', true); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('[', false); }
  void EndArray() { Close(']'); }
  // The next value is this key's (inside an object).
  void Key(std::string_view key);

  void String(std::string_view s);
  void Int(int64_t v);
  void UInt(uint64_t v);
  void Bool(bool v);
  void Null();

  // Shorthands: key + value.
  void Field(std::string_view key, std::string_view value) { Key(key), String(value); }
  void Field(std::string_view key, const char* value) { Key(key), String(value); }
  void Field(std::string_view key, const std::string& value) { Key(key), String(value); }
  void FieldUInt(std::string_view key, uint64_t value) { Key(key), UInt(value); }
  void FieldBool(std::string_view key, bool value) { Key(key), Bool(value); }
  void FieldStrings(std::string_view key, const std::vector<std::string>& values);

  // The document so far; call after the outermost End*.
  const std::string& str() const { return buf_; }
  std::string take() { return std::move(buf_); }

 private:
  struct Frame {
    bool object;
    size_t count = 0;
  };
  void BeforeValue();
  void NewLine();
  void Open(char c, bool object);
  void Close(char c);

  int indent_;
  std::string buf_;
  std::vector<Frame> stack_;
  bool after_key_ = false;
};

// Appends s as a JSON string literal (quotes included) with the escaping described above.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace distill::sbom
