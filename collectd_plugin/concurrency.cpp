// SPDX-License-Identifier: GPL-2.0-or-later
#include "concurrency.h"

#include <algorithm>
#include <cmath>

namespace probewise {
namespace {

// Room above the mean: answers slower than it, a backlog to drain.
constexpr double kMargin = 1.25;
constexpr double kDeviations = 3;
// Windows in a row that want less than three quarters of the limit before
// it falls half-way to what they want.
constexpr int kLowWindowsToFall = 5;
// A window's mean counts towards the best one when this many transfers
// made it.
constexpr std::size_t kEnoughFinished = 20;

}  // namespace

ConcurrencyLimit::ConcurrencyLimit(int fixed, int cap, double probes_per_second, double probes_per_tick,
                                   Clock::time_point now)
    : adaptive_(fixed <= 0),
      cap_(std::max(1, cap)),
      rate_(std::max(0.0, probes_per_second)),
      burst_(std::max(0.0, probes_per_tick)),
      window_start_(now) {
  limit_ = adaptive_ ? std::clamp(kInitial, std::min(kFloor, cap_), cap_) : std::max(1, fixed);
}

double ConcurrencyLimit::wanted_at(double transfer_s) const {
  const double in_flight = rate_ * transfer_s;  // Little's law
  return std::ceil(kMargin * in_flight + kDeviations * std::sqrt(in_flight) + burst_);
}

double ConcurrencyLimit::wanted() const {
  return wanted_at(transfer_s_);
}

double ConcurrencyLimit::best_seconds() const {
  double best = transfer_s_;
  for (const auto& m : means_) best = std::min(best, m.second);
  return best;
}

void ConcurrencyLimit::finished(double seconds) {
  seconds_ += std::max(0.0, seconds);
  ++finished_;
}

bool ConcurrencyLimit::update(Clock::time_point now) {
  if (!adaptive_ || now - window_start_ < kWindow) return false;
  window_start_ = now;
  const bool bound = bound_;
  bound_ = false;
  if (finished_ == 0) return false;  // nothing learned
  const double window_s = seconds_ / static_cast<double>(finished_);
  if (finished_ >= kEnoughFinished) means_.emplace_back(now, window_s);
  while (!means_.empty() && now - means_.front().first > kMemory) means_.pop_front();
  seconds_ = 0;
  finished_ = 0;
  transfer_s_ = transfer_s_ > 0 ? (transfer_s_ + window_s) / 2 : window_s;
  const double floor = std::min(kFloor, cap_);
  const double ceiling = std::min<double>(cap_, kSurge * wanted_at(best_seconds()));
  const int target = static_cast<int>(std::clamp(wanted(), floor, std::max(floor, ceiling)));
  surging_ = wanted() > ceiling && ceiling < cap_;
  const int before = limit_;
  if (target > limit_) {
    low_windows_ = 0;
    if (bound) limit_ = std::min(target, 2 * limit_);  // else it held nothing back
  } else if (4 * static_cast<long long>(target) < 3 * static_cast<long long>(limit_)) {
    if (++low_windows_ >= kLowWindowsToFall) {
      limit_ = std::max(target, (limit_ + target) / 2);
      low_windows_ = 0;
    }
  } else {
    low_windows_ = 0;
  }
  return limit_ != before;
}

}  // namespace probewise
