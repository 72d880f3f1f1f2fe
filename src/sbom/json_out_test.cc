#include "sbom/json_out.h"

#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace distill::sbom {
namespace {

using Json = nlohmann::ordered_json;

// Writes a nlohmann document through JsonOut, to compare with nlohmann's own dump.
void Walk(JsonOut& out, const Json& value) {
  if (value.is_object()) {
    out.BeginObject();
    for (const auto& [k, v] : value.items()) {
      out.Key(k);
      Walk(out, v);
    }
    out.EndObject();
  } else if (value.is_array()) {
    out.BeginArray();
    for (const auto& v : value) Walk(out, v);
    out.EndArray();
  } else if (value.is_string()) {
    out.String(value.get<std::string>());
  } else if (value.is_boolean()) {
    out.Bool(value.get<bool>());
  } else if (value.is_number_unsigned()) {
    out.UInt(value.get<uint64_t>());
  } else if (value.is_number_integer()) {
    out.Int(value.get<int64_t>());
  } else {
    out.Null();
  }
}

TEST(JsonOut, PrintsExactlyAsNlohmannDumps) {
  Json doc = Json::parse(R"({
    "a": "plain", "b": [], "c": {}, "d": [1, -2, 18446744073709551615, true, false, null],
    "e": {"nested": [{"x": []}, {}, [[]]]},
    "f": "quote \" backslash \\ slash / tab \t nl \n cr \r ff \f bs \b nul \u0000 us \u001f del \u007f",
    "g": "ünïcode ✓ 𝄞 €"
  })");
  for (int indent : {1, 2}) {
    JsonOut out(indent);
    Walk(out, doc);
    EXPECT_EQ(out.str(), doc.dump(indent, ' ', false, Json::error_handler_t::replace)) << indent;
  }
  JsonOut top(2);
  top.BeginArray();
  top.EndArray();
  EXPECT_EQ(top.str(), "[]");
}

TEST(JsonOut, SinkReceivesTheSameBytesInBoundedChunks) {
  Json doc = Json::array();
  for (int i = 0; i < 5000; ++i)
    doc.push_back({{"name", "package-" + std::to_string(i)}, {"files", {"a", "b"}}});
  JsonOut whole(2);
  Walk(whole, doc);
  std::string streamed;
  size_t chunks = 0, biggest = 0;
  JsonOut out(2, [&](std::string_view chunk) {
    streamed += chunk, ++chunks, biggest = std::max(biggest, chunk.size());
  });
  Walk(out, doc);
  out.Flush();
  EXPECT_EQ(streamed, whole.str());
  EXPECT_GT(chunks, 5u);
  EXPECT_LT(biggest, 80u << 10) << "the buffer is handed over at ~64 KiB";
  EXPECT_TRUE(out.str().empty());
}

TEST(JsonOut, InvalidUtf8BecomesReplacementCharacters) {
  std::string out;
  AppendJsonString(out,
                   "a\xff"
                   "b\xc3"
                   "c\xe2\x82"
                   "d\xed\xa0\x80"
                   "e\xc0\xaf"
                   "f\xf4\x90\x80\x80"
                   "g");
  const std::string r = "\xEF\xBF\xBD";
  // Every byte that does not start a well-formed sequence is replaced on its own.
  EXPECT_EQ(out, "\"a" + r + "b" + r + "c" + r + r + "d" + r + r + r + "e" + r + r + "f" + r + r +
                     r + r + "g\"");
  // The result is valid JSON that a strict parser reads back.
  EXPECT_TRUE(Json::accept(out));
}

}  // namespace
}  // namespace distill::sbom
