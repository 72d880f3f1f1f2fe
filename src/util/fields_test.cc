#include "util/fields.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace distill::fields {
namespace {

struct Three {
  std::string a;
  uint64_t b = 7;
  std::vector<std::string> c;
};

struct WithOptional {
  uint32_t value = 0;
  bool has_value = false;
  std::string name;
};

TEST(Fields, MemberCountCountsEveryKindOfMember) {
  EXPECT_EQ(MemberCount<Three>(), 3u);
  EXPECT_EQ(MemberCount<WithOptional>(), 3u);
}

TEST(Fields, CoversAllMembersNoticesAMissingEntry) {
  constexpr auto all =
      std::tuple{Field("a", &Three::a), Field("b", &Three::b), Field("c", &Three::c)};
  constexpr auto missing = std::tuple{Field("a", &Three::a), Field("c", &Three::c)};
  EXPECT_TRUE(CoversAllMembers<Three>(all));
  EXPECT_FALSE(CoversAllMembers<Three>(missing));
  // An OptionalField accounts for its two members.
  constexpr auto optional =
      std::tuple{OptionalField("value", &WithOptional::value, &WithOptional::has_value),
                 Field("name", &WithOptional::name)};
  EXPECT_TRUE(CoversAllMembers<WithOptional>(optional));
}

TEST(Fields, ForEachVisitsEntriesInTableOrder) {
  constexpr auto table =
      std::tuple{Field("c", &Three::c), Field("a", &Three::a), Field("b", &Three::b)};
  std::string keys;
  ForEach(table, [&keys](const auto& field) { keys += field.key; });
  EXPECT_EQ(keys, "cab");
}

}  // namespace
}  // namespace distill::fields
