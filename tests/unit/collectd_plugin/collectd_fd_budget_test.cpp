// SPDX-License-Identifier: GPL-2.0-or-later
// collectd_plugin/fd_budget: MaxConcurrency against the open-file limit.
#include "fd_budget.h"

#include <gtest/gtest.h>

namespace probewise {
namespace {

TEST(FdBudget, RoomyLimitKeepsMaxConcurrency) {
  // Debian's collectd under systemd: soft limit 1024, about 20 open at init.
  FdBudget b = fit_concurrency(256, 1024, 20);
  EXPECT_FALSE(b.reduced);
  EXPECT_EQ(b.concurrency, 256);
  EXPECT_TRUE(b.message.empty());
  EXPECT_FALSE(fit_concurrency(10000, 0, 20).reduced) << "0 = no limit";
}

TEST(FdBudget, SmallLimitCapsAndSaysSo) {
  // 64 - 20 open - 32 reserve = 12 descriptors: 6 transfers with their idle connections.
  FdBudget b = fit_concurrency(256, 64, 20);
  EXPECT_TRUE(b.reduced);
  EXPECT_EQ(b.concurrency, 6);
  EXPECT_NE(b.message.find("MaxConcurrency 256"), std::string::npos) << b.message;
  EXPECT_NE(b.message.find("the limit is 64"), std::string::npos) << b.message;
  EXPECT_NE(b.message.find("at most 6 at once"), std::string::npos) << b.message;
  EXPECT_NE(b.message.find("LimitNOFILE"), std::string::npos) << b.message;
  // A reserve of an eighth of a large limit.
  EXPECT_EQ(fit_concurrency(100000, 8192, 100).concurrency, (8192 - 100 - 1024) / 2);
}

TEST(FdBudget, NoRoomStillProbesOneAtATime) {
  FdBudget b = fit_concurrency(16, 40, 30);
  EXPECT_TRUE(b.reduced);
  EXPECT_EQ(b.concurrency, 1);
}

TEST(FdBudget, ReadsThisProcess) {
  EXPECT_GT(open_descriptors(), 2u) << "stdin, stdout, stderr at least";
  EXPECT_GT(nofile_soft_limit(), open_descriptors());
}

}  // namespace
}  // namespace probewise
