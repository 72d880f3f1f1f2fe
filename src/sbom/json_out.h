// A streaming JSON writer for the SBOM encoders: appends to a string, pretty-printed exactly as
// nlohmann::json::dump(indent) prints (so any JSON library reads it and the snapshots are stable),
// but without building a DOM first, so a large document is never held twice in memory.
// Strings are written as UTF-8; invalid UTF-8 becomes U+FFFD, control characters are escaped.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::sbom {

class JsonOut {
 public:
  // Without a sink the document accumulates in str(); with one, every ~64 KiB written so far is
  // handed to the sink (a file, a hash) and dropped, so memory stays flat for any document size.
  using Sink = std::function<void(std::string_view)>;
  explicit JsonOut(int indent, Sink sink = {}) : indent_(indent), sink_(std::move(sink)) {}

  void BeginObject() { Open('{', true); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('[', false); }
  void EndArray() { Close(']'); }
  // The next value is this key's (inside an object).
  void Key(std::string_view key);

  void String(std::string_view text);
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

  // The document so far (what the sink has not taken); call after the outermost End*.
  const std::string& str() const { return buf_; }
  std::string take() { return std::move(buf_); }
  // Hands everything buffered to the sink (no-op without one).
  void Flush();

 private:
  struct Frame {
    bool object;
    size_t count = 0;
  };
  void BeforeValue();
  void NewLine();
  void Open(char c, bool object);
  void Close(char c);
  void MaybeFlush() {
    if (sink_ && buf_.size() >= kFlushBytes) Flush();
  }
  static constexpr size_t kFlushBytes = 64 << 10;

  int indent_;
  Sink sink_;
  std::string buf_;
  std::vector<Frame> stack_;
  bool after_key_ = false;
};

// Appends text as a JSON string literal (quotes included) with the escaping described above.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace distill::sbom
