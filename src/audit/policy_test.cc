#include "audit/policy.h"

#include <gtest/gtest.h>

namespace distill::audit {
namespace {

Finding F(std::string rule, std::string path, std::string pkg = "",
          Severity s = Severity::kMedium) {
  Finding f;
  f.rule_id = std::move(rule), f.path = std::move(path), f.package = std::move(pkg), f.severity = s;
  return f;
}

TEST(PolicyTest, ParsesAllowDenyRuntime) {
  auto p = ParsePolicy(R"(
runtime: [python3, node]
allow:
  - hygiene-*
  - rule: secret-private-key
    path: etc/ssl/private/*
    reason: test key
deny:
  - rule: interpreter
    package: perl*
    severity: critical
)",
                       "p.yaml");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->runtime, (std::vector<std::string>{"python3", "node"}));
  ASSERT_EQ(p->allow.size(), 2u);
  EXPECT_EQ(p->allow[0].rule, "hygiene-*");
  EXPECT_EQ(p->allow[1].reason, "test key");
  ASSERT_EQ(p->deny.size(), 1u);
  EXPECT_EQ(p->deny[0].severity, Severity::kCritical);

  std::vector<Finding> fs = {
      F("secret-private-key", "etc/ssl/private/a.pem"), F("secret-private-key", "root/key.pem"),
      F("interpreter", "usr/bin/perl", "perl-base"), F("hygiene-docs", "usr/share/doc/x")};
  ApplyPolicy(*p, &fs);
  EXPECT_EQ(fs[0].allowed_by, "p.yaml: allow secret-private-key (test key)");
  EXPECT_EQ(fs[1].allowed_by, "");
  EXPECT_EQ(fs[2].severity, Severity::kCritical);
  EXPECT_EQ(fs[3].allowed_by, "p.yaml: allow hygiene-*");
}

TEST(PolicyTest, Runtime) {
  Policy p;
  p.runtime = {"python3", "node"};
  EXPECT_TRUE(IsRuntime(p, "python3"));
  EXPECT_TRUE(IsRuntime(p, "python3.11"));
  EXPECT_TRUE(IsRuntime(p, "nodejs"));
  EXPECT_FALSE(IsRuntime(p, "python2.7"));
  EXPECT_FALSE(IsRuntime(p, "perl"));
}

TEST(PolicyTest, ErrorsNameTheEntry) {
  EXPECT_EQ(ParsePolicy("allow: 3\n", "p.yaml").error().message, "p.yaml: allow: expected a list");
  EXPECT_EQ(
      ParsePolicy("deny:\n  - rule: x\n    severity: huge\n", "p.yaml").error().message,
      "p.yaml: deny[0].severity: unknown severity \"huge\" (info, low, medium, high, critical)");
  EXPECT_EQ(ParsePolicy("colour: red\n", "p.yaml").error().message,
            "p.yaml: unknown key \"colour\" (expected runtime, allow, deny)");
  EXPECT_TRUE(ParsePolicy("allow: [\n", "p.yaml").error().message.starts_with("p.yaml:"));
  EXPECT_TRUE(ParsePolicy("", "p.yaml").ok());
}

}  // namespace
}  // namespace distill::audit
