// SPDX-License-Identifier: GPL-2.0-or-later
// How many transfers may be in flight at once. MaxConcurrency, when the
// configuration sets it; else a limit that follows the load by Little's
// law: transfers in flight = probes a second x how long a transfer takes.
// The rate is the configuration's (every endpoint once per interval); how
// long a transfer takes is the mean of those that finished (a transfer that
// hangs counts when its Timeout ends it). The limit is that, a quarter
// more, three standard deviations of a Poisson count of it (square-root
// staffing), and a tick's worth of probes (they start together); never more
// than the open-file limit leaves room for.
//
// It rises only when probes had to wait for a slot, at most doubling a
// window, and never past kSurge times what the best mean of the last
// kMemory asked for: when answers slow down everywhere at once (a saturated
// server or CPU, every endpoint hanging), more transfers at once would only
// hold more sockets and memory, and make a saturated server slower still.
// It falls slowly. Pure: the caller says what happened and when.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <utility>

namespace probewise {

class ConcurrencyLimit {
 public:
  using Clock = std::chrono::steady_clock;

  // The limit before anything was measured (MaxConcurrency's old default).
  static constexpr int kInitial = 256;
  static constexpr int kFloor = 16;
  // How often the limit is reconsidered.
  static constexpr std::chrono::seconds kWindow{2};
  static constexpr double kSurge = 4;
  static constexpr std::chrono::minutes kMemory{5};

  // `fixed` > 0: MaxConcurrency as configured, never changed. Else it follows
  // the load within [min(kFloor, cap), cap]; `probes_per_second` and
  // `probes_per_tick` describe the configuration's rhythm.
  ConcurrencyLimit(int fixed, int cap, double probes_per_second, double probes_per_tick,
                   Clock::time_point now = Clock::now());

  int limit() const { return limit_; }
  bool adaptive() const { return adaptive_; }
  int cap() const { return cap_; }
  // The mean transfer time measured so far (seconds; 0 before any), and the
  // best window mean of the last kMemory.
  double transfer_seconds() const { return transfer_s_; }
  double best_seconds() const;
  // What Little's law asks for at the mean, before the cap.
  double wanted() const;
  // The limit would rise further but for kSurge (see above).
  bool surging() const { return surging_; }

  // A transfer finished after `seconds`.
  void finished(double seconds);
  // A probe waited for a slot: the limit is what holds it back.
  void bound() { bound_ = true; }
  // Called as the probing loop goes; true when the limit changed.
  bool update(Clock::time_point now);

 private:
  double wanted_at(double transfer_s) const;

  bool adaptive_;
  int cap_;
  int limit_;
  double rate_;   // probes a second
  double burst_;  // probes that start together
  double transfer_s_ = 0;
  Clock::time_point window_start_;
  double seconds_ = 0;  // of the transfers finished in this window
  std::size_t finished_ = 0;
  bool bound_ = false;  // a probe waited for a slot in this window
  bool surging_ = false;
  std::deque<std::pair<Clock::time_point, double>> means_;  // window means of the last kMemory
  int low_windows_ = 0;  // consecutive windows that wanted less than 3/4 of the limit
};

}  // namespace probewise
