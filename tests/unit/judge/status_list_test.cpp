// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/status_list.h"

#include <gtest/gtest.h>

namespace probewise {
namespace {

TEST(StatusSet, CodesRangesAndClasses) {
  auto s = parse_status_set("200-299,401, 3xx");
  ASSERT_TRUE(s.ok()) << s.error();
  for (int code : {200, 250, 299, 401, 300, 399}) EXPECT_TRUE(s->contains(code)) << code;
  for (int code : {199, 400, 402, 403, 500}) EXPECT_FALSE(s->contains(code)) << code;
}

TEST(StatusSet, RejectsBadItemsByName) {
  for (const char* bad : {"", "abc", "99", "600", "299-200", "6xx", "2x", "200-", "20a"}) {
    auto s = parse_status_set(bad);
    EXPECT_FALSE(s.ok()) << bad;
  }
  auto s = parse_status_set("200,abc");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("abc"), std::string::npos);
}

TEST(StatusStates, MostSpecificRuleWins) {
  auto s = parse_status_states("4xx=critical,403=ok,401=warning,500-503=unknown,5xx=warning");
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_NE(s->find(403), nullptr);
  EXPECT_EQ(s->find(403)->state, State::ok);
  EXPECT_EQ(s->find(401)->state, State::warning);
  EXPECT_EQ(s->find(404)->state, State::critical);
  EXPECT_EQ(s->find(502)->state, State::unknown);
  EXPECT_EQ(s->find(504)->state, State::warning);
  EXPECT_EQ(s->find(200), nullptr);
}

TEST(StatusStates, RejectsMissingOrBadState) {
  for (const char* bad : {"401", "401=", "401=bad", "=ok", "abc=ok"})
    EXPECT_FALSE(parse_status_states(bad).ok()) << bad;
}

}  // namespace
}  // namespace probewise
