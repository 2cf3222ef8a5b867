// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/range.h"

#include <gtest/gtest.h>

namespace probewise {
namespace {

// Cases from the monitoring-plugins development guidelines, "Threshold and ranges".
struct RangeCase {
  const char* range;
  double value;
  bool alerts;
};

void PrintTo(const RangeCase& c, std::ostream* os) {
  *os << c.range << " @ " << c.value;
}

class RangeAlerts : public ::testing::TestWithParam<RangeCase> {};

TEST_P(RangeAlerts, MatchesGuidelineTable) {
  const auto& c = GetParam();
  auto r = parse_range(c.range);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->alerts(c.value), c.alerts) << c.range << " with " << c.value;
}

INSTANTIATE_TEST_SUITE_P(Guidelines, RangeAlerts,
                         ::testing::Values(RangeCase{"10", 11, true}, RangeCase{"10", 10, false},
                                           RangeCase{"10", -1, true}, RangeCase{"10", 0, false},
                                           RangeCase{"10:", 9.99, true}, RangeCase{"10:", 1e9, false},
                                           RangeCase{"~:10", 11, true}, RangeCase{"~:10", -1e9, false},
                                           RangeCase{"10:20", 9, true}, RangeCase{"10:20", 21, true},
                                           RangeCase{"10:20", 15, false}, RangeCase{"@10:20", 15, true},
                                           RangeCase{"@10:20", 10, true}, RangeCase{"@10:20", 21, false},
                                           RangeCase{"0.5", 0.6, true}, RangeCase{"0.5", 0.4, false}));

TEST(Range, RejectsMalformedWithTheInputInTheMessage) {
  for (const char* bad : {"", "abc", "10:5", "1:2:3", "@", "~", "1e999", "5:x"}) {
    auto r = parse_range(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.error().find(bad), std::string::npos) << r.error();
    }
  }
}

TEST(Thresholds, CriticalWinsOverWarning) {
  Thresholds t{parse_range("1").value(), parse_range("2").value()};
  EXPECT_EQ(t.evaluate(0.5), State::ok);
  EXPECT_EQ(t.evaluate(1.5), State::warning);
  EXPECT_EQ(t.evaluate(2.5), State::critical);
}

}  // namespace
}  // namespace probewise
