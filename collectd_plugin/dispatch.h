// SPDX-License-Identifier: GPL-2.0-or-later
// Hands a Dispatch to collectd: one value list per value, one notification
// with its meta data. The only file that calls collectd's dispatch API.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "report.h"
#include "secrets/secret_registry.h"

namespace probewise {

// Returns how many values collectd refused (it logs why).
int dispatch_to_collectd(const Dispatch& d, bool values = true);

// Finished checks dispatched in batches: each value wakes one of collectd's
// write threads when they are idle, so values that come one at a time cost
// a wake-up each; a batch wakes them once. Values keep their own time (the
// end of their probe) and reach collectd at most kMaxDelay later; a
// notification goes out at once, after the values before it.
class DispatchBatch {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kMaxPending = 2048;
  static constexpr std::chrono::milliseconds kMaxDelay{1000};

  explicit DispatchBatch(std::function<int(const Dispatch&, bool values)> send = dispatch_to_collectd)
      : send_(std::move(send)) {}
  void add(Dispatch d);
  // Flushes when the batch holds a notification, is full, or its oldest
  // entry has waited kMaxDelay. Returns the ms until it must be called
  // again, -1 when the batch is empty.
  int maybe_flush(Clock::time_point now = Clock::now());
  // `values` false: the notifications only (collectd's write threads are
  // gone once the shutdown callbacks run).
  void flush(bool values = true);
  std::size_t size() const { return pending_.size(); }

 private:
  std::function<int(const Dispatch&, bool)> send_;
  std::vector<Dispatch> pending_;
  Clock::time_point oldest_{};
  bool notifying_ = false;  // a notification is waiting
};

// plugin_log with collectd's "probewise plugin: " prefix; the text with
// every secret of `secrets` redacted (URL secrets without it), one line.
void log_to_collectd(LogLevel level, const std::string& text, const SecretRegistry* secrets = nullptr);

}  // namespace probewise
