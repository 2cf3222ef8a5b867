// SPDX-License-Identifier: GPL-2.0-or-later
#include "evidence/health.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "base/text.h"
#include "support/recorded.h"

namespace probewise {
namespace {

// A recorded health document under tests/data/health: "key: value" lines
// (a key may repeat), a line "----", then the body verbatim.
struct HealthCase {
  std::string name;
  std::map<std::string, std::vector<std::string>> keys;
  std::string body;

  bool has(const std::string& k) const { return keys.count(k) > 0; }
  std::string one(const std::string& k) const { return has(k) ? keys.at(k).front() : ""; }
  std::vector<std::string> all(const std::string& k) const {
    return has(k) ? keys.at(k) : std::vector<std::string>{};
  }
};

HealthCase load_case(const std::string& path) {
  testing::RecordedFile f = testing::read_recorded_file(path);
  EXPECT_TRUE(f.has_separator) << path << " has no ---- line";
  HealthCase c;
  c.name = f.name;
  c.keys = f.keys;
  c.body = f.content;
  return c;
}

// "name=value" split at the last '=' (names may contain '=' only before it).
std::pair<std::string, std::string> name_value(const std::string& item) {
  auto eq = item.find_last_of('=');
  if (eq == std::string::npos) return {item, ""};
  return {item.substr(0, eq), item.substr(eq + 1)};
}

// "a=pass,b=fail" -> sorted "a=pass" items; output -> the same shape.
std::vector<std::string> sorted_items(const std::string& list) {
  std::vector<std::string> out;
  for (auto item : split(list, ',')) out.emplace_back(item);
  std::sort(out.begin(), out.end());
  return out;
}

const HealthComponent* find_component(const HealthReport& r, const std::string& name) {
  for (const auto& c : r.components)
    if (c.name == name) return &c;
  return nullptr;
}

HeaderMap headers_with(const std::string& content_type) {
  HeaderMap h;
  if (!content_type.empty()) h.add("Content-Type", content_type);
  return h;
}

class RecordedHealth : public ::testing::TestWithParam<std::string> {};

TEST_P(RecordedHealth, ReadsAsRecorded) {
  HealthCase c = load_case(GetParam());
  std::string origin = c.name + " (" + c.one("origin") + ")";
  ASSERT_TRUE(c.has("format")) << origin;
  auto format = parse_health_format(c.one("format"));
  ASSERT_TRUE(format.has_value()) << origin;
  auto r = parse_health(*format, headers_with(c.one("content_type")), c.body);

  if (c.has("expect_error")) {
    ASSERT_FALSE(r.ok()) << origin << ": parsed as " << health_status_name(r->status);
    EXPECT_NE(r.error().find(c.one("expect_error")), std::string::npos) << origin << ": " << r.error();
    EXPECT_EQ(r.error().rfind("expected ", 0), 0u) << "errors say what was expected: " << r.error();
    return;
  }
  ASSERT_TRUE(r.ok()) << origin << ": " << r.error();
  EXPECT_EQ(health_status_name(r->status), c.one("expect_status")) << origin;
  if (c.has("expect_format")) {
    EXPECT_EQ(health_format_name(r->format), c.one("expect_format")) << origin;
  }
  if (c.has("expect_raw")) {
    EXPECT_EQ(r->raw_status, c.one("expect_raw")) << origin;
  }
  if (c.has("expect_top_output")) {
    EXPECT_EQ(r->output, c.one("expect_top_output")) << origin;
  }
  if (c.has("expect_components")) {
    std::string got;
    for (const auto& comp : r->components)
      got += (got.empty() ? "" : ",") + comp.name + "=" + std::string(health_status_name(comp.status));
    EXPECT_EQ(sorted_items(got), sorted_items(c.one("expect_components"))) << origin << ": " << got;
  }
  for (const auto& item : c.all("expect_value")) {
    auto [name, value] = name_value(item);
    const HealthComponent* comp = find_component(*r, name);
    ASSERT_NE(comp, nullptr) << origin << ": no component " << name;
    ASSERT_TRUE(comp->observed_value.has_value()) << origin << ": " << name << " has no value";
    EXPECT_DOUBLE_EQ(*comp->observed_value, std::strtod(value.c_str(), nullptr)) << origin;
  }
  // Checks on one member of one component: "name=expected".
  struct Member {
    const char* key;
    std::string HealthComponent::*field;
    bool substring;
  };
  const Member members[] = {{"expect_unit", &HealthComponent::observed_unit, false},
                            {"expect_type", &HealthComponent::component_type, false},
                            {"expect_raw_component", &HealthComponent::raw_status, false},
                            {"expect_output", &HealthComponent::output, true}};
  for (const auto& m : members) {
    for (const auto& item : c.all(m.key)) {
      // Outputs may contain '=': split at the first one for them.
      auto eq = item.find('=');
      std::string name = m.substring ? item.substr(0, eq) : name_value(item).first;
      std::string want = m.substring ? item.substr(eq + 1) : name_value(item).second;
      const HealthComponent* comp = find_component(*r, name);
      ASSERT_NE(comp, nullptr) << origin << ": no component " << name;
      const std::string& got = comp->*m.field;
      if (m.substring) {
        EXPECT_NE(got.find(want), std::string::npos) << origin << ": " << m.key << " " << got;
      } else {
        EXPECT_EQ(got, want) << origin << ": " << m.key;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Documents, RecordedHealth,
                         ::testing::ValuesIn(testing::recorded_files(PROBEWISE_TEST_DATA "/health")),
                         [](const auto& info) { return testing::recorded_test_name(info.param); });

TEST(RecordedHealth, CoverEveryFormatAndStatus) {
  auto files = testing::recorded_files(PROBEWISE_TEST_DATA "/health");
  EXPECT_GE(files.size(), 40u);
  std::map<std::string, int> seen;
  for (const auto& f : files) {
    HealthCase c = load_case(f);
    if (c.has("expect_error")) ++seen["error"];
    if (c.has("expect_format") && c.has("expect_status"))
      ++seen[c.one("expect_format") + "/" + c.one("expect_status")];
  }
  for (const char* want : {"health+json/pass", "health+json/warn", "health+json/fail", "spring/pass",
                           "spring/fail", "spring/unknown", "microprofile/pass", "microprofile/fail",
                           "aspnet/pass", "aspnet/warn", "aspnet/fail", "k8s/pass", "k8s/fail", "error"})
    EXPECT_GT(seen[want], 0) << "no recorded case for " << want;
}

// Every prefix of every recorded body: never a crash, and a cut JSON
// document is an error or a document, never something in between.
TEST(RecordedHealth, EveryTruncationIsHandled) {
  for (const auto& f : testing::recorded_files(PROBEWISE_TEST_DATA "/health")) {
    HealthCase c = load_case(f);
    auto format = parse_health_format(c.one("format")).value_or(HealthFormat::auto_detect);
    HeaderMap h = headers_with(c.one("content_type"));
    for (std::size_t n = 0; n < c.body.size(); ++n) {
      auto r = parse_health(format, h, std::string_view(c.body).substr(0, n));
      if (!r.ok()) {
        EXPECT_FALSE(r.error().empty()) << c.name << " cut at " << n;
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Generated documents: depth, size and count bounds.

TEST(HealthBounds, DeeplyNestedArraysAreRefusedBeforeParsing) {
  std::string body(100000, '[');
  auto r = parse_health(HealthFormat::auto_detect, headers_with("application/json"), body);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("nested deeper than 64 levels"), std::string::npos) << r.error();
}

TEST(HealthBounds, DeeplyNestedObjectsAreRefused) {
  std::string body;
  for (int i = 0; i < 100000; ++i) body += "{\"a\":";
  body += "1";
  body += std::string(100000, '}');
  for (auto f : {HealthFormat::spring, HealthFormat::health_json, HealthFormat::auto_detect}) {
    auto r = parse_health(f, headers_with("application/json"), body);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().find("nested deeper than"), std::string::npos) << r.error();
  }
}

TEST(HealthBounds, BracketsInsideStringsDoNotCount) {
  std::string body =
      "{\"status\":\"fail\",\"output\":\"" + std::string(5000, '[') + "\\\"" + std::string(5000, '{') + "\"}";
  auto r = parse_health(HealthFormat::health_json, headers_with("application/health+json"), body);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->status, HealthStatus::fail);
}

TEST(HealthBounds, NestingJustUnderTheLimitIsRead) {
  // Spring components 30 levels down: one leaf named by the whole path.
  std::string body = "{\"status\":\"DOWN\",\"components\":";
  std::string name;
  for (int i = 0; i < 30; ++i) {
    body += "{\"n" + std::to_string(i) + "\":{\"status\":\"DOWN\",\"components\":";
    name += (name.empty() ? "n" : "/n") + std::to_string(i);
  }
  body += "{\"leaf\":{\"status\":\"DOWN\",\"details\":{\"error\":\"deep\"}}}";
  for (int i = 0; i < 30; ++i) body += "}}";
  body += "}";
  auto r = parse_health(HealthFormat::auto_detect, headers_with("application/json"), body);
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->components.size(), 1u);
  EXPECT_EQ(r->components[0].name, name + "/leaf");
  EXPECT_EQ(r->components[0].output, "deep");
}

TEST(HealthBounds, ManyComponentsAreCountedNotKept) {
  std::string body = "{\"status\":\"warn\",\"checks\":{";
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    if (i) body += ",";
    body += "\"queue-" + std::to_string(i) + ":depth\":[{\"status\":\"" + (i % 7 ? "pass" : "warn") +
            "\",\"observedValue\":" + std::to_string(i) + ",\"observedUnit\":\"messages\"}]";
  }
  body += "}}";
  ASSERT_LT(body.size(), kMaxHealthBodyBytes);
  auto start = std::chrono::steady_clock::now();
  auto r = parse_health(HealthFormat::auto_detect, headers_with("application/health+json"), body);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->status, HealthStatus::warn);
  EXPECT_EQ(r->components.size(), kMaxHealthComponents);
  EXPECT_EQ(r->components_omitted, n - kMaxHealthComponents);
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(HealthBounds, ManyEntriesUnderOneKey) {
  std::string body = "{\"status\":\"pass\",\"checks\":{\"cpu:utilization\":[";
  for (int i = 0; i < 5000; ++i)
    body += std::string(i ? "," : "") + "{\"status\":\"pass\",\"observedValue\":1}";
  body += "]}}";
  auto r = parse_health(HealthFormat::health_json, HeaderMap{}, body);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->components.size(), kMaxHealthComponents);
  EXPECT_EQ(r->components.front().name, "cpu:utilization#1");
  EXPECT_EQ(r->components_omitted, 4000u);
}

TEST(HealthBounds, HugeKubernetesTextIsCapped) {
  std::string body;
  for (int i = 0; i < 50000; ++i) body += "[+]poststarthook/hook-" + std::to_string(i) + " ok\n";
  body += "[-]etcd failed: reason withheld\nreadyz check failed\n";
  auto r = parse_health(HealthFormat::auto_detect, headers_with("text/plain; charset=utf-8"), body);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->format, HealthFormat::k8s);
  EXPECT_EQ(r->status, HealthStatus::fail);
  EXPECT_EQ(r->components.size(), kMaxHealthComponents);
  EXPECT_EQ(r->components_omitted, 50001u - kMaxHealthComponents);
}

TEST(HealthBounds, OversizedBodiesAreRefused) {
  std::string body = "{\"status\":\"pass\",\"output\":\"" + std::string(kMaxHealthBodyBytes, 'x') + "\"}";
  auto r = parse_health(HealthFormat::health_json, headers_with("application/health+json"), body);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("the limit is"), std::string::npos) << r.error();
  EXPECT_NE(r.error().find("(application/health+json)"), std::string::npos) << r.error();
}

TEST(HealthBounds, LongOutputsAreCut) {
  std::string body = "{\"status\":\"fail\",\"checks\":{\"db\":[{\"status\":\"fail\",\"output\":\"" +
                     std::string(100000, 'e') + "\"}]}}";
  auto r = parse_health(HealthFormat::health_json, HeaderMap{}, body);
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->components.size(), 1u);
  EXPECT_LE(r->components[0].output.size(), kMaxHealthTextBytes);
}

TEST(HealthBounds, CutsOutputsOnCharacterBoundaries) {
  std::string euro = "\xE2\x82\xAC";  // 3 bytes
  std::string text;
  while (text.size() < 2 * kMaxHealthTextBytes) text += euro;
  std::string body = "{\"status\":\"fail\",\"output\":\"" + text + "\"}";
  auto r = parse_health(HealthFormat::health_json, HeaderMap{}, body);
  ASSERT_TRUE(r.ok()) << r.error();
  const std::string& out = r->output;
  ASSERT_GE(out.size(), 3u);
  std::string kept = out.substr(0, out.size() - 3);  // before "..."
  EXPECT_EQ(kept.size() % 3, 0u);
  EXPECT_EQ(out.substr(out.size() - 3), "...");
}

// ---------------------------------------------------------------------------
// Names and the detection details that the recorded cases do not pin down.

TEST(HealthNames, FormatsRoundTrip) {
  for (auto f : {HealthFormat::auto_detect, HealthFormat::health_json, HealthFormat::spring,
                 HealthFormat::microprofile, HealthFormat::aspnet, HealthFormat::k8s}) {
    auto back = parse_health_format(health_format_name(f));
    ASSERT_TRUE(back.has_value()) << health_format_name(f);
    EXPECT_EQ(*back, f);
  }
  EXPECT_EQ(parse_health_format("Spring"), HealthFormat::spring);
  EXPECT_EQ(parse_health_format("kubernetes"), HealthFormat::k8s);
  EXPECT_FALSE(parse_health_format("yaml").has_value());
  EXPECT_FALSE(parse_health_format("").has_value());
}

TEST(HealthNames, Statuses) {
  EXPECT_EQ(health_status_name(HealthStatus::pass), "pass");
  EXPECT_EQ(health_status_name(HealthStatus::warn), "warn");
  EXPECT_EQ(health_status_name(HealthStatus::fail), "fail");
  EXPECT_EQ(health_status_name(HealthStatus::unknown), "unknown");
}

TEST(HealthDetection, ContentTypeWinsOverShape) {
  // A health+json content type with Spring-looking words: read as health+json.
  auto r =
      parse_health(HealthFormat::auto_detect, headers_with("application/health+json"), "{\"status\":\"UP\"}");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->format, HealthFormat::health_json);
  EXPECT_EQ(r->status, HealthStatus::pass);
}

TEST(HealthDetection, PlainWordSentAsJson) {
  auto r = parse_health(HealthFormat::auto_detect, headers_with("application/json"), "Degraded");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->format, HealthFormat::aspnet);
  EXPECT_EQ(r->status, HealthStatus::warn);
}

TEST(HealthDetection, WithoutAnyHeaders) {
  auto r = parse_health(HealthFormat::auto_detect, HeaderMap{},
                        "{\"status\":\"UP\",\"checks\":[{\"name\":\"db\",\"status\":\"DOWN\"}]}");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->format, HealthFormat::microprofile);
  ASSERT_EQ(r->components.size(), 1u);
  EXPECT_EQ(r->components[0].status, HealthStatus::fail);
}

TEST(HealthDetection, NonObjectJsonForEveryFormat) {
  for (const char* body : {"null", "42", "\"UP\"", "[]", "true"}) {
    for (auto f : {HealthFormat::health_json, HealthFormat::spring, HealthFormat::microprofile,
                   HealthFormat::aspnet}) {
      auto r = parse_health(f, headers_with("application/json"), body);
      EXPECT_FALSE(r.ok()) << body;
    }
  }
}

}  // namespace
}  // namespace probewise
