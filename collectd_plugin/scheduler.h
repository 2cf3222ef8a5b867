// SPDX-License-Identifier: GPL-2.0-or-later
// The probing loop of the collectd plugin: every endpoint on its own
// interval, all of them on one ConcurrentProber (one libcurl multi handle),
// at most MaxConcurrency transfers in flight, so that a slow or hung
// endpoint never delays another. Keeps each endpoint's last state in memory
// (seeded from the state directory, as the check keys it) and hands every
// finished check to a report hook. Single-threaded: one thread calls poll().
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "check/check_steps.h"
#include "config.h"
#include "credentials/token_broker.h"
#include "http/request.h"
#include "memory/state_store.h"

namespace probewise {

enum class LogLevel { error, warning, notice, info };

// One finished check, as the report hook sees it (valid during the call).
struct EndpointReport {
  const EndpointConfig& endpoint;
  const CheckOutcome& outcome;
  const std::optional<StoredState>& previous;  // the state before this check
  double finished_at = 0;                      // seconds since the epoch
  const SecretRegistry* secrets = nullptr;     // what the report must not repeat
};

struct SchedulerHooks {
  std::function<void(const EndpointReport&)> report;
  std::function<void(LogLevel, const std::string&)> log;
  std::function<double()> wall_clock;  // seconds since the epoch; default: the system clock
  std::function<void()> thread_start;  // runs first on the probing thread (collectd's plugin context)
  // Runs on the probing thread after each poll(): where batched dispatch
  // flushes. Returns how many ms the thread may sleep at most before it
  // runs again (-1: no limit).
  std::function<int()> after_poll;
  // Runs on the probing thread when it is asked to stop, before shutdown().
  std::function<void()> stopping;
};

class Scheduler {
 public:
  using Clock = std::chrono::steady_clock;

  struct Stats {
    std::uint64_t started = 0;   // checks begun
    std::uint64_t finished = 0;  // checks reported
    std::uint64_t skipped = 0;   // rounds missed: the previous check of the endpoint was still running
    std::uint64_t late = 0;      // checks that waited for a free slot longer than half their interval
  };

  // Opens the state directories and loads each endpoint's last state.
  Scheduler(PluginConfig config, SchedulerHooks hooks);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Starts what is due and drives the transfers for at most max_wait_ms.
  // Returns how many ms the caller may sleep when nothing is in flight.
  int poll(int max_wait_ms);
  std::size_t in_flight() const { return prober_.in_flight(); }

  // What shutdown() did.
  struct Stopped {
    std::size_t cancelled = 0;  // transfers that were in flight (token requests included)
    std::size_t saved = 0;      // state files written
  };
  // Stops every transfer in flight and saves the states not yet saved.
  Stopped shutdown();

  const Stats& stats() const { return stats_; }
  const PluginConfig& config() const { return config_; }

 private:
  struct Runtime {
    Clock::time_point due{};
    Clock::duration interval{};
    bool queued = false;  // in ready_
    bool busy = false;    // a check is under way
    std::unique_ptr<CheckSteps> steps;
    std::optional<StoredState> previous;  // in memory, across intervals
    // What the state directory holds, as a digest of what it means (the
    // whole state would double the memory an endpoint needs).
    std::size_t saved_meaning = 0;
    std::time_t saved_checked = 0;
    bool saved_any = false;
    Clock::time_point saved_at{};
    std::string state_key;
    int store = -1;       // index into stores_, -1 = not persisted
    int token_slot = -1;  // TokenBroker slot, -1 = no OAuth
    // The peer certificate as last read: a reused connection shows none.
    std::unique_ptr<Certificate> certificate;
  };
  struct Store {
    std::string dir;
    std::optional<StateStore> store;
    bool failing = false;  // a save failed; said once until one succeeds
  };

  void open_stores();
  Clock::time_point next_wake() const;
  int ms_until_wake(Clock::time_point now, int cap) const;
  void release_due(Clock::time_point now);
  void start_ready(Clock::time_point now);
  void begin(std::size_t i, Clock::time_point now);
  void advance(std::size_t i);
  void on_answer(std::size_t i, ProbeResult result);
  void on_token(std::size_t slot, const ProbeResult& result);
  void finish(std::size_t i);
  bool save(std::size_t i, bool force);  // true: a state file was written
  void log_stats(Clock::time_point now);
  std::int64_t now_ms() const;
  double wall() const;
  void log(LogLevel level, const std::string& text) const;
  bool slot_free() const;

  PluginConfig config_;
  SchedulerHooks hooks_;
  ConcurrentProber prober_;
  TokenBroker tokens_;
  std::vector<Runtime> runtime_;
  std::vector<Store> stores_;
  using Due = std::pair<Clock::time_point, std::size_t>;
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> heap_;
  std::deque<std::size_t> ready_;    // due, waiting for a free slot
  std::deque<std::size_t> pending_;  // a check's next request, waiting for a free slot
  Clock::time_point epoch_;
  Clock::duration tick_{};
  Clock::time_point stats_logged_;
  Stats stats_;
  Stats stats_at_log_;
};

}  // namespace probewise
