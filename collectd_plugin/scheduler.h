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
#include "concurrency.h"
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
  // Ends poll()'s wait early; the only call another thread may make.
  void wake() { prober_.wake(); }

  // What shutdown() did.
  struct Stopped {
    std::size_t cancelled = 0;  // transfers that were in flight (token requests included)
    std::size_t saved = 0;      // state files written
  };
  // Stops every transfer in flight and saves the states not yet saved.
  Stopped shutdown();

  const Stats& stats() const { return stats_; }
  // Transfers allowed in flight now (MaxConcurrency, or what the load asks).
  int concurrency() const { return limit_.limit(); }
  const PluginConfig& config() const { return config_; }

 private:
  // What the scheduler keeps for each endpoint, between probes and during
  // one: small, since there may be 100,000 of them.
  struct Runtime {
    Clock::time_point due{};
    Clock::time_point saved_at{};
    std::unique_ptr<CheckSteps> steps;    // the check under way
    std::optional<StoredState> previous;  // in memory, across intervals
    // The peer certificate as last read (a reused connection shows none),
    // shared by the endpoints that saw the same one.
    std::shared_ptr<const Certificate> certificate;
    Clock::time_point certificate_at{};  // when it was read
    // What the state directory holds, as a digest of what it means (the
    // whole state would double the memory an endpoint needs).
    std::size_t saved_meaning = 0;
    std::time_t saved_checked = 0;
    int store = -1;       // index into stores_, -1 = not persisted
    int token_slot = -1;  // TokenBroker slot, -1 = no OAuth
    bool queued = false;  // in ready_
    bool busy = false;    // a check is under way
    bool loaded = false;  // its state read from the state directory (at its first probe)
    bool saved_any = false;
    bool own_key = false;  // its state is kept under its name: another endpoint asks the same
  };
  struct Store {
    std::string dir;
    std::optional<StateStore> store;
    bool failing = false;  // a save failed; said once until one succeeds
  };

  void open_stores();
  std::string state_key_of(std::size_t i) const;
  void load_state(std::size_t i);
  Clock::duration interval_of(std::size_t i) const;
  std::shared_ptr<const Certificate> keep_certificate(const Certificate& c);
  bool certificate_due(std::size_t i, Clock::time_point now) const;
  Clock::time_point next_wake() const;
  int ms_until_wake(Clock::time_point now, int cap) const;
  void release_due(Clock::time_point now);
  void start_ready(Clock::time_point now);
  void begin(std::size_t i, Clock::time_point now);
  void advance(std::size_t i);
  void start_request(std::size_t i);
  void on_answer(std::size_t i, ProbeResult result);
  void on_token(std::size_t slot, const ProbeResult& result);
  void finish(std::size_t i);
  bool save(std::size_t i, bool force);  // true: a state file was written
  void log_stats(Clock::time_point now);
  std::int64_t now_ms() const;
  double wall() const;
  void log(LogLevel level, const std::string& text) const;
  bool slot_free() const;
  void follow_load(Clock::time_point now);

  PluginConfig config_;
  SchedulerHooks hooks_;
  ConcurrentProber prober_;
  ConcurrentProber::Done done_;  // what the last run() finished (its buffer serves again)
  std::vector<std::unique_ptr<CheckSteps>> spare_steps_;
  TokenBroker tokens_;
  std::vector<Runtime> runtime_;
  std::vector<Store> stores_;
  std::shared_ptr<const Certificate> last_certificate_;
  using Due = std::pair<Clock::time_point, std::size_t>;
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> heap_;
  std::deque<std::size_t> ready_;    // due, waiting for a free slot
  std::deque<std::size_t> pending_;  // a check's next request, waiting for a free slot
  Clock::time_point epoch_;
  Clock::duration tick_{};
  ConcurrencyLimit limit_;
  int limit_logged_ = 0;  // the limit last said in the log
  Clock::time_point limit_logged_at_{};
  Clock::time_point saturation_logged_at_{};
  Clock::time_point stats_logged_;
  Stats stats_;
  Stats stats_at_log_;
};

}  // namespace probewise
