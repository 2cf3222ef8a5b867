// SPDX-License-Identifier: GPL-2.0-or-later
// collectd_plugin/concurrency: MaxConcurrency as configured, or a limit
// that follows the load by Little's law, fed as the probing loop would.
#include "concurrency.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

namespace probewise {
namespace {

using namespace std::chrono_literals;
using Clock = ConcurrencyLimit::Clock;

// `seconds` of a steady load, told every 10 ms as the probing loop does:
// `rate` probes a second fall due and each takes `transfer`; as many as the
// limit allows are in flight (Little's law), the others wait for a slot.
Clock::time_point steady(ConcurrencyLimit& c, Clock::time_point t, double seconds, double rate,
                         std::chrono::duration<double> transfer) {
  double due = 0;
  const auto end = t + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (; t < end; t += 10ms) {
    const double served = std::min(rate, c.limit() / transfer.count());  // answers a second
    for (due += served * 0.01; due >= 1; --due) c.finished(transfer.count());
    if (served < rate) c.bound();
    c.update(t);
  }
  return t;
}

// Little's law at the mean, a quarter more, 3 sqrt of it, and the burst.
double expected(double rate, double seconds, double burst) {
  const double n = rate * seconds;
  return std::ceil(1.25 * n + 3 * std::sqrt(n) + burst);
}

TEST(ConcurrencyLimit, ConfiguredIsFixed) {
  auto t = Clock::now();
  ConcurrencyLimit c(40, 10000, 1667, 100, t);
  EXPECT_FALSE(c.adaptive());
  EXPECT_EQ(c.limit(), 40);
  steady(c, t, 10, 1667, 300ms);
  EXPECT_EQ(c.limit(), 40) << "MaxConcurrency as written, whatever the load";
}

// 100,000 endpoints every 60 s (1,667 probes a second) whose answers take
// 300 ms: Little's law says 500 in flight; the first limit holds probes
// back, and it rises to that, a quarter more, 3 sqrt(500) and a tick.
TEST(ConcurrencyLimit, FollowsLittlesLaw) {
  auto t = Clock::now();
  ConcurrencyLimit c(0, 10000, 1667, 100, t);
  EXPECT_TRUE(c.adaptive());
  EXPECT_EQ(c.limit(), ConcurrencyLimit::kInitial) << "before anything is measured";
  steady(c, t, 20, 1667, 300ms);
  EXPECT_NEAR(c.transfer_seconds(), 0.3, 0.001);
  EXPECT_GE(c.limit(), 1667 * 0.3) << "every probe gets a slot";
  EXPECT_LE(c.limit(), expected(1667, 0.3, 100));
  EXPECT_FALSE(c.surging());
}

// Answers slow down from 10 ms to 1 s: the limit rises at the next windows,
// doubling at most each, to kSurge times what the best answers of the last
// kMemory asked for; once the fast answers are that old, to what the slow
// ones ask for. When they speed up again it falls, but only after a while,
// and half-way at a time.
TEST(ConcurrencyLimit, RisesAtOnceFallsSlowly) {
  auto t = Clock::now();
  ConcurrencyLimit c(0, 100000, 1000, 100, t);
  t = steady(c, t, 60, 1000, 10ms);
  const double fast = expected(1000, 0.01, 100);
  EXPECT_GE(c.limit(), fast);
  EXPECT_LE(c.limit(), fast * 4 / 3 + 1) << "falls to within 4/3 of what the load asks";
  const int before = c.limit();
  t = steady(c, t, ConcurrencyLimit::kWindow.count() + 0.05, 1000, 1s);
  EXPECT_EQ(c.limit(), 2 * before) << "at most doubling a window";
  t = steady(c, t, 60, 1000, 1s);
  EXPECT_TRUE(c.surging());
  EXPECT_LE(c.limit(), ConcurrencyLimit::kSurge * (fast + 1)) << "answers slower everywhere at once";
  t = steady(c, t, std::chrono::duration<double>(ConcurrencyLimit::kMemory).count(), 1000, 1s);
  EXPECT_FALSE(c.surging());
  EXPECT_GE(c.limit(), 1000) << "1,000 a second that take 1 s each, for minutes now";
  EXPECT_LE(c.limit(), expected(1000, 1.0, 100));
  const int slow = c.limit();
  t = steady(c, t, 4, 1000, 10ms);
  EXPECT_EQ(c.limit(), slow) << "no fall on the first fast windows";
  steady(c, t, 60, 1000, 10ms);
  EXPECT_LT(c.limit(), slow / 4);
  EXPECT_GE(c.limit(), fast) << "never below what the load asks";
}

// A transfer that hangs counts when its Timeout ends it, at its length.
TEST(ConcurrencyLimit, TimeoutsCount) {
  auto t = Clock::now();
  ConcurrencyLimit c(0, 100000, 500, 50, t);
  // A tenth of 500 probes a second never answer and end at their 10 s
  // Timeout; as many are answered as the limit lets through.
  const double mean_s = 0.1 * 10 + 0.9 * 0.005;
  double due = 0;
  int n = 0;
  for (int i = 0; i < 3000; ++i) {
    const double served = std::min(500.0, c.limit() / mean_s);
    for (due += served * 0.01; due >= 1; --due) c.finished(++n % 10 == 0 ? 10.0 : 0.005);
    if (served < 500) c.bound();
    c.update(t += 10ms);
  }
  EXPECT_NEAR(c.transfer_seconds(), mean_s, 0.05);
  EXPECT_GE(c.limit(), 500 * mean_s);
  EXPECT_LE(c.limit(), expected(500, mean_s, 50));
}

// A saturated server answers 2,000 a second however many are asked at once:
// a transfer then takes (in flight / 2,000) s, and a higher limit only
// makes it longer. The limit stops at kSurge times what the best answers
// asked for, instead of running away to the cap.
TEST(ConcurrencyLimit, NoRunawayWhenAnswersSlowDownEverywhere) {
  auto t = Clock::now();
  ConcurrencyLimit c(0, 100000, 5000, 100, t);
  t = steady(c, t, 10, 5000, 20ms);  // fine at first
  const double best = expected(5000, 0.02, 100);
  for (int step = 0; step < 6000; ++step) {  // then a minute saturated
    const double transfer_s = std::max(0.02, c.limit() / 2000.0);
    for (int k = 0; k < 20; ++k) c.finished(transfer_s);  // 2,000 a second
    c.bound();                                            // 5,000 a second fall due
    c.update(t += 10ms);
  }
  EXPECT_TRUE(c.surging());
  EXPECT_LE(c.limit(), ConcurrencyLimit::kSurge * (best + 1));
  EXPECT_GE(c.limit(), best);
  EXPECT_NEAR(c.best_seconds(), 0.02, 0.001);
}

// Nothing waits for a slot: the limit holds nothing back and does not rise.
TEST(ConcurrencyLimit, NoRiseWithoutWaiting) {
  auto t = Clock::now();
  ConcurrencyLimit c(0, 100000, 1667, 100, t);
  for (int step = 0; step < 1000; ++step) {
    for (int k = 0; k < 17; ++k) c.finished(0.3);
    c.update(t += 10ms);
  }
  EXPECT_GT(c.wanted(), ConcurrencyLimit::kInitial);
  EXPECT_EQ(c.limit(), ConcurrencyLimit::kInitial);
}

TEST(ConcurrencyLimit, CapAndFloor) {
  auto t = Clock::now();
  ConcurrencyLimit small(0, 9, 1667, 100, t);
  EXPECT_EQ(small.limit(), 9) << "the open-file limit's room first";
  steady(small, t, 10, 1667, 300ms);
  EXPECT_EQ(small.limit(), 9);
  EXPECT_GT(small.wanted(), 9);
  // One endpoint every 10 s, answered in 5 ms.
  ConcurrencyLimit idle(0, 1000, 0.1, 0.1, t);
  for (int i = 0; i < 60; ++i) {
    idle.finished(0.005);
    idle.update(t += 10s);
  }
  EXPECT_GE(idle.limit(), ConcurrencyLimit::kFloor) << "a few endpoints still get a few slots";
  EXPECT_LE(idle.limit(), ConcurrencyLimit::kFloor * 4 / 3 + 1) << "and not many more";
}

}  // namespace
}  // namespace probewise
