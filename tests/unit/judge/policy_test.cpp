// SPDX-License-Identifier: GPL-2.0-or-later
// judge/policy: a regular expression is checked with the flags the
// classifier compiles it with.
#include "judge/policy.h"

#include <gtest/gtest.h>
#include <regex.h>

namespace probewise {
namespace {

TEST(RegexExpectation, FlagsFollowTheOptions) {
  RegexExpectation rx;
  EXPECT_EQ(regex_flags(rx), REG_EXTENDED | REG_NOSUB | REG_NEWLINE);
  rx.icase = true;
  rx.linespan = true;
  EXPECT_EQ(regex_flags(rx), REG_EXTENDED | REG_NOSUB | REG_ICASE);
}

TEST(RegexExpectation, ErrorSaysWhyOrNothing) {
  RegexExpectation rx;
  rx.pattern = "^ok( [0-9]+)?$";
  EXPECT_EQ(regex_error(rx), "");
  rx.pattern = "(unclosed";
  EXPECT_NE(regex_error(rx), "");
}

}  // namespace
}  // namespace probewise
