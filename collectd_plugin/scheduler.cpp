// SPDX-License-Identifier: GPL-2.0-or-later
#include "scheduler.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <utility>

#include "base/text.h"
#include "check/prober_steps.h"
#include "credentials/credentials.h"

namespace probewise {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

// The state file is rewritten when what it says changes, and otherwise at
// most this often (so that "last seen" stays roughly current).
constexpr auto kRefreshSaved = std::chrono::minutes(15);
constexpr auto kStatsEvery = std::chrono::minutes(5);
// The tick on which due times are met: long enough that about
// kProbesPerTick probes start together and share the thread's wake-ups (a
// wake-up costs more than a probe's own work), short enough to keep the
// first round spread over the interval.
constexpr double kProbesPerTick = 100;
constexpr std::chrono::duration<double> kMinTick(0.01);
constexpr std::chrono::duration<double> kMaxTick(1.0);

double system_wall() {
  return static_cast<double>(
             duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
                 .count()) /
         1e6;
}

// The tick for these endpoints: about kProbesPerTick probes due in each, at
// most half the shortest interval.
std::chrono::duration<double> tick_for(const std::vector<EndpointConfig>& endpoints) {
  double shortest_s = 3600;
  double per_second = 0;  // probes
  for (const auto& e : endpoints) {
    shortest_s = std::min(shortest_s, e.interval_s);
    if (e.interval_s > 0) per_second += 1 / e.interval_s;
  }
  const double longest_tick = std::min(kMaxTick.count(), shortest_s / 2);
  const double tick = per_second > 0 ? kProbesPerTick / per_second : longest_tick;
  return std::chrono::duration<double>(
      std::clamp(tick, kMinTick.count(), std::max(kMinTick.count(), longest_tick)));
}

}  // namespace

Scheduler::Scheduler(PluginConfig config, SchedulerHooks hooks)
    : config_(std::move(config)),
      hooks_(std::move(hooks)),
      // Idle connections kept for the next rounds: as many as may be in
      // flight (unless the open-file limit is short), so that a round finds
      // the last round's connections open.
      prober_(config_.max_connections_per_host,
              config_.kept_connections > 0 ? config_.kept_connections : std::max(1, config_.max_concurrency)),
      tokens_(config_.secrets.get()),
      epoch_(Clock::now()) {
  stats_logged_ = epoch_;
  tick_ = duration_cast<Clock::duration>(tick_for(config_.endpoints));
  runtime_.resize(config_.endpoints.size());
  const std::size_t n = config_.endpoints.size();
  for (std::size_t i = 0; i < n; ++i) {
    const EndpointConfig& e = config_.endpoints[i];
    Runtime& r = runtime_[i];
    r.interval = duration_cast<Clock::duration>(std::chrono::duration<double>(e.interval_s));
    if (r.interval <= Clock::duration::zero()) r.interval = std::chrono::seconds(10);
    // Spread the first round over the interval, so that the load is even.
    r.due = epoch_ + duration_cast<Clock::duration>(r.interval * (static_cast<double>(i) / n));
    heap_.push({r.due, i});
    if (e.job.oauth2) r.token_slot = static_cast<int>(tokens_.add(*e.job.oauth2, e.job.spec));
  }
  open_stores();
}

Scheduler::~Scheduler() = default;

void Scheduler::open_stores() {
  std::map<std::string, int> by_dir;
  std::map<std::string, std::size_t> keys;
  for (std::size_t i = 0; i < config_.endpoints.size(); ++i) {
    const EndpointConfig& e = config_.endpoints[i];
    Runtime& r = runtime_[i];
    // The key the check would use for the same request (check_run.cpp).
    std::string key =
        state_key(e.job.state.key.empty() ? check_identity(e.job.spec) : "key|" + e.job.state.key);
    if (auto seen = keys.find(key); seen != keys.end()) {
      log(LogLevel::warning, "<Endpoint \"" + e.name + "\"> asks what <Endpoint \"" +
                                 config_.endpoints[seen->second].name +
                                 "\"> asks: its state is kept under its own name (set StateKey to choose)");
      key = state_key("collectd|" + e.name + "|" + check_identity(e.job.spec));
    }
    keys.emplace(key, i);
    r.state_key = key;
    if (!e.job.state.enabled) continue;
    const std::string dir = e.job.state.dir.empty() ? default_state_dir() : e.job.state.dir;
    auto found = by_dir.find(dir);
    if (found == by_dir.end()) {
      Store s;
      s.dir = dir;
      auto opened = StateStore::open(dir, config_.secrets.get());
      if (opened) {
        s.store = std::move(opened).value();
      } else {
        log(LogLevel::warning, "state directory " + dir + ": " + opened.error() +
                                   "; changes are still detected, but a restart forgets the last status");
      }
      stores_.push_back(std::move(s));
      found = by_dir.emplace(dir, static_cast<int>(stores_.size() - 1)).first;
    }
    if (!stores_[found->second].store) continue;
    r.store = found->second;
    // Opened without waiting: a FIFO in its place never stalls collectd's start.
    std::string note;
    r.previous = stores_[r.store].store->load(r.state_key, &note);
    if (!note.empty()) log(LogLevel::warning, "<Endpoint \"" + e.name + "\">: state file " + note);
    if (r.previous) {
      r.saved_any = true;
      r.saved_meaning = state_meaning(*r.previous);
      r.saved_checked = r.previous->checked;
    }
    r.saved_at = Clock::now();
  }
}

std::int64_t Scheduler::now_ms() const {
  return duration_cast<milliseconds>(Clock::now() - epoch_).count();
}

double Scheduler::wall() const {
  return hooks_.wall_clock ? hooks_.wall_clock() : system_wall();
}

void Scheduler::log(LogLevel level, const std::string& text) const {
  if (hooks_.log) hooks_.log(level, text);
}

bool Scheduler::slot_free() const {
  return prober_.in_flight() < static_cast<std::size_t>(std::max(1, config_.max_concurrency));
}

Scheduler::Clock::time_point Scheduler::next_wake() const {
  // Due times are met on a grid of ticks, so that the probes that fall due
  // within one tick start together and share the thread's wake-ups.
  const Clock::time_point due = heap_.top().first;
  const auto ticks = (due - epoch_ + tick_ - Clock::duration(1)) / tick_;
  return epoch_ + ticks * tick_;
}

int Scheduler::ms_until_wake(Clock::time_point now, int cap) const {
  if (heap_.empty()) return cap;
  auto until = duration_cast<milliseconds>(next_wake() - now).count() + 1;
  return static_cast<int>(std::clamp<long long>(until, 0, cap));
}

int Scheduler::poll(int max_wait_ms) {
  Clock::time_point now = Clock::now();
  release_due(now);
  start_ready(now);
  if (prober_.in_flight() > 0) {
    auto done = prober_.run(ms_until_wake(now, max_wait_ms));
    for (auto& [id, result] : done) {
      if (id >= kTokenFetchIdBase)
        on_token(static_cast<std::size_t>(id - kTokenFetchIdBase), result);
      else
        on_answer(static_cast<std::size_t>(id), std::move(result));
    }
    now = Clock::now();
    release_due(now);
    start_ready(now);
  }
  log_stats(now);
  if ((!ready_.empty() || !pending_.empty()) && slot_free()) return 0;
  return ms_until_wake(now, 60 * 1000);
}

void Scheduler::release_due(Clock::time_point now) {
  while (!heap_.empty() && heap_.top().first <= now) {
    auto [due, i] = heap_.top();
    heap_.pop();
    Runtime& r = runtime_[i];
    if (r.busy || r.queued) {
      ++stats_.skipped;
    } else {
      r.queued = true;
      r.due = due;
      ready_.push_back(i);
    }
    Clock::time_point next = due + r.interval;
    if (next <= now) {  // far behind (a suspended machine): keep the phase, skip the missed rounds
      auto behind = (now - next) / r.interval + 1;
      next += behind * r.interval;
      stats_.skipped += static_cast<std::uint64_t>(behind);
    }
    heap_.push({next, i});
  }
}

void Scheduler::start_ready(Clock::time_point now) {
  while (!pending_.empty() && slot_free()) {
    std::size_t i = pending_.front();
    pending_.pop_front();
    Runtime& r = runtime_[i];
    if (r.steps && r.steps->next() == CheckSteps::Next::request) prober_.start(i, r.steps->request(now_ms()));
  }
  while (!ready_.empty() && slot_free()) {
    std::size_t i = ready_.front();
    ready_.pop_front();
    Runtime& r = runtime_[i];
    r.queued = false;
    if (now - r.due > r.interval / 2) ++stats_.late;
    begin(i, now);
  }
}

void Scheduler::begin(std::size_t i, Clock::time_point) {
  const EndpointConfig& e = config_.endpoints[i];
  Runtime& r = runtime_[i];
  r.busy = true;
  ++stats_.started;
  Context ctx;
  ctx.now = static_cast<std::time_t>(wall());
  ctx.previous = r.previous;
  RequestSpec spec = e.job.spec;
  // Credentials are read at each probe, so that rotated files are used.
  auto applied = apply_credentials(e.credentials, spec, process_getenv, config_.secrets.get());
  if (!applied)
    ctx.oauth_failure = OAuthFailure{"auth.missing_credentials", applied.error(), {}};
  else
    ctx.notes.insert(ctx.notes.end(), applied->begin(), applied->end());
  const bool failed = !applied;
  r.steps = std::make_unique<CheckSteps>(std::move(spec), e.job.policy, e.job.oauth2.has_value() && !failed,
                                         std::move(ctx), now_ms());
  if (failed) {
    finish(i);  // no request can be made: the verdict says why
    return;
  }
  advance(i);
}

void Scheduler::advance(std::size_t i) {
  Runtime& r = runtime_[i];
  while (r.steps) {
    switch (r.steps->next()) {
      case CheckSteps::Next::request:
        if (slot_free())
          prober_.start(i, r.steps->request(now_ms()));
        else
          pending_.push_back(i);
        return;
      case CheckSteps::Next::token:
        if (take_token(*r.steps, tokens_, static_cast<std::size_t>(r.token_slot), i, prober_,
                       static_cast<std::time_t>(wall()), now_ms()))
          continue;
        return;  // waits for the token endpoint
      case CheckSteps::Next::done: finish(i); return;
    }
  }
}

void Scheduler::on_answer(std::size_t i, ProbeResult result) {
  if (i >= runtime_.size()) return;
  Runtime& r = runtime_[i];
  if (!r.steps || r.steps->next() != CheckSteps::Next::request) return;
  // A reused connection does not show the certificate again: the one read
  // on this endpoint's last new connection still holds.
  if (result.certificate)
    r.certificate = std::make_unique<Certificate>(*result.certificate);
  else if (r.certificate && result.transport == Transport::ok && result.new_connections == 0 &&
           config_.endpoints[i].job.spec.want_certificate)
    result.certificate = *r.certificate;
  r.steps->answer(std::move(result));
  advance(i);
}

void Scheduler::on_token(std::size_t slot, const ProbeResult& result) {
  auto fetched = token_fetched(
      tokens_, slot, result, static_cast<std::time_t>(wall()),
      [this](std::size_t i) { return i < runtime_.size() ? runtime_[i].steps.get() : nullptr; });
  for (std::size_t i : fetched.waiters) advance(i);
}

void Scheduler::finish(std::size_t i) {
  Runtime& r = runtime_[i];
  std::unique_ptr<CheckSteps> steps = std::move(r.steps);
  r.busy = false;
  if (!steps) return;
  const std::time_t now = steps->context().now;
  CheckOutcome outcome = steps->outcome();
  steps.reset();
  std::optional<StoredState> previous = std::move(r.previous);
  r.previous = next_state(previous, observe(outcome.result, outcome.verdict, outcome.sent), now);
  ++stats_.finished;
  if (hooks_.report) {
    EndpointReport report{config_.endpoints[i], outcome, previous, wall(), config_.secrets.get()};
    hooks_.report(report);
  }
  save(i, false);
}

bool Scheduler::save(std::size_t i, bool force) {
  Runtime& r = runtime_[i];
  if (r.store < 0 || !r.previous) return false;
  Store& s = stores_[static_cast<std::size_t>(r.store)];
  const StoredState& now_state = *r.previous;
  const auto now = Clock::now();
  const std::size_t now_meaning = state_meaning(now_state);
  const bool seen_since = r.saved_checked != now_state.checked;
  const bool due = !r.saved_any || r.saved_meaning != now_meaning ||
                   (now - r.saved_at >= kRefreshSaved && seen_since) || (force && seen_since);
  if (!due) return false;
  auto saved =
      s.store->record(r.state_key, now_state, r.saved_any ? std::optional(r.saved_meaning) : std::nullopt);
  r.saved_at = now;
  if (saved) {
    r.saved_any = true;
    r.saved_meaning = now_meaning;
    r.saved_checked = now_state.checked;
    s.failing = false;
  } else if (!s.failing) {
    s.failing = true;
    log(LogLevel::warning, "state directory " + s.dir + ": " + saved.error() +
                               "; changes are still detected, but a restart forgets the last status");
  }
  return saved.ok();
}

void Scheduler::log_stats(Clock::time_point now) {
  if (now - stats_logged_ < kStatsEvery) return;
  stats_logged_ = now;
  const std::uint64_t skipped = stats_.skipped - stats_at_log_.skipped;
  const std::uint64_t late = stats_.late - stats_at_log_.late;
  stats_at_log_ = stats_;
  if (skipped == 0 && late == 0) return;
  log(LogLevel::warning,
      std::to_string(skipped) + " probe rounds skipped (the previous probe still ran) and " +
          std::to_string(late) + " probes started late in the last 5 minutes: raise MaxConcurrency (now " +
          std::to_string(config_.max_concurrency) + ") or lower the Timeout of slow endpoints");
}

Scheduler::Stopped Scheduler::shutdown() {
  Stopped stopped;
  stopped.cancelled = prober_.in_flight();
  prober_.cancel_all();
  tokens_.cancel_all();
  ready_.clear();
  pending_.clear();
  for (std::size_t i = 0; i < runtime_.size(); ++i) {
    Runtime& r = runtime_[i];
    r.steps.reset();
    r.busy = false;
    r.queued = false;
    if (save(i, true)) ++stopped.saved;
  }
  return stopped;
}

}  // namespace probewise
