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
  EXPECT_EQ(b.kept_connections, 256) << "as many kept as may be in flight";
  EXPECT_TRUE(b.message.empty());
  EXPECT_FALSE(fit_concurrency(10000, 0, 20).reduced) << "0 = no limit";
}

TEST(FdBudget, KeptConnectionsAreCutBeforeMaxConcurrency) {
  // 20,000 (a hard limit without CAP_SYS_RESOURCE) - 20 open - 2,500 reserve
  // = 17,480 descriptors: all 10,000 transfers, 7,480 connections kept.
  FdBudget b = fit_concurrency(10000, 20000, 20);
  EXPECT_FALSE(b.reduced);
  EXPECT_EQ(b.concurrency, 10000);
  EXPECT_EQ(b.kept_connections, 7480);
  EXPECT_NE(b.message.find("MaxConcurrency 10000 needs about 22520 open files"), std::string::npos)
      << b.message;
  EXPECT_NE(b.message.find("keeping at most 7480 connections open between rounds"), std::string::npos)
      << b.message;
  EXPECT_EQ(b.message.find("probing at most"), std::string::npos) << b.message;
}

TEST(FdBudget, SmallLimitCapsAndSaysSo) {
  // 64 - 20 open - 32 reserve = 12 descriptors: 9 transfers (four fifths), 3 kept.
  FdBudget b = fit_concurrency(256, 64, 20);
  EXPECT_TRUE(b.reduced);
  EXPECT_EQ(b.concurrency, 9);
  EXPECT_EQ(b.kept_connections, 3);
  EXPECT_NE(b.message.find("MaxConcurrency 256"), std::string::npos) << b.message;
  EXPECT_NE(b.message.find("the limit is 64"), std::string::npos) << b.message;
  EXPECT_NE(b.message.find("at most 9 at once"), std::string::npos) << b.message;
  EXPECT_NE(b.message.find("LimitNOFILE"), std::string::npos) << b.message;
  // A reserve of an eighth of a large limit.
  EXPECT_EQ(fit_concurrency(100000, 8192, 100).concurrency, (8192 - 100 - 1024) * 4 / 5);
  // Between half and four fifths of the room: every transfer, fewer kept.
  FdBudget most = fit_concurrency(70, 64 + 100, 32);  // room 100
  EXPECT_FALSE(most.reduced);
  EXPECT_EQ(most.concurrency, 70);
  EXPECT_EQ(most.kept_connections, 30);
}

TEST(FdBudget, NoRoomStillProbesOneAtATime) {
  FdBudget b = fit_concurrency(16, 40, 30);
  EXPECT_TRUE(b.reduced);
  EXPECT_EQ(b.concurrency, 1);
  EXPECT_EQ(b.kept_connections, 1) << "0 would be libcurl's default (4 per handle)";
}

// A concurrency that follows the load: four fifths of the room at most,
// and as many connections kept as may be in flight while the room allows.
TEST(FdBudget, RoomForAConcurrencyThatFollowsTheLoad) {
  EXPECT_EQ(socket_room(0, 20), kNoLimit);
  EXPECT_EQ(concurrency_cap(kNoLimit), 100000);
  const std::size_t room = socket_room(20000, 20);  // 20,000 - 20 - 2,500
  EXPECT_EQ(room, 17480u);
  EXPECT_EQ(concurrency_cap(room), 13984);
  EXPECT_EQ(kept_for(433, room), 433);
  EXPECT_EQ(kept_for(13984, room), 3496) << "the rest of the room";
  EXPECT_EQ(kept_for(300, kNoLimit), 300);
  EXPECT_EQ(socket_room(64, 40), 0u);
  EXPECT_EQ(concurrency_cap(0), 1);
  EXPECT_EQ(kept_for(1, 0), 1) << "0 would be libcurl's default (4 per handle)";
}

TEST(FdBudget, ReadsThisProcess) {
  EXPECT_GT(open_descriptors(), 2u) << "stdin, stdout, stderr at least";
  EXPECT_GT(nofile_soft_limit(), open_descriptors());
}

}  // namespace
}  // namespace probewise
