// SPDX-License-Identifier: GPL-2.0-or-later
#include "scheduler.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <unordered_map>
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
constexpr auto kCertificateFresh = std::chrono::minutes(10);
// Finished checks kept for the next ones (each holds a few KB).
constexpr std::size_t kSpareSteps = 256;
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

// Probes a second when every endpoint keeps its interval.
double probes_per_second(const std::vector<EndpointConfig>& endpoints) {
  double per_second = 0;
  for (const auto& e : endpoints)
    if (e.interval_s() > 0) per_second += 1 / e.interval_s();
  return per_second;
}

// The tick for these endpoints: about kProbesPerTick probes due in each, at
// most half the shortest interval.
std::chrono::duration<double> tick_for(const std::vector<EndpointConfig>& endpoints) {
  double shortest_s = 3600;
  for (const auto& e : endpoints) shortest_s = std::min(shortest_s, e.interval_s());
  const double per_second = probes_per_second(endpoints);
  const double longest_tick = std::min(kMaxTick.count(), shortest_s / 2);
  const double tick = per_second > 0 ? kProbesPerTick / per_second : longest_tick;
  return std::chrono::duration<double>(
      std::clamp(tick, kMinTick.count(), std::max(kMinTick.count(), longest_tick)));
}

// The limit of transfers in flight: MaxConcurrency, or one that follows
// the load within what the open-file limit leaves.
ConcurrencyLimit limit_for(const PluginConfig& config, std::chrono::duration<double> tick) {
  const double rate = probes_per_second(config.endpoints);
  return ConcurrencyLimit(config.max_concurrency, concurrency_cap(config.socket_room), rate,
                          rate * tick.count());
}

}  // namespace

Scheduler::Scheduler(PluginConfig config, SchedulerHooks hooks)
    : config_(std::move(config)),
      hooks_(std::move(hooks)),
      // Idle connections kept for the next rounds: as many as may be in
      // flight (unless the open-file limit is short), so that a round finds
      // the last round's connections open.
      prober_(config_.max_connections_per_host),
      tokens_(config_.secrets.get()),
      epoch_(Clock::now()),
      tick_(duration_cast<Clock::duration>(tick_for(config_.endpoints))),
      limit_(limit_for(config_, tick_)) {
  stats_logged_ = epoch_;
  limit_logged_ = limit_.limit();
  prober_.set_max_idle_connections(limit_.adaptive() || config_.kept_connections <= 0
                                       ? kept_for(limit_.limit(), config_.socket_room)
                                       : config_.kept_connections);
  runtime_.resize(config_.endpoints.size());
  const std::size_t n = config_.endpoints.size();
  std::vector<Due> due;
  due.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const EndpointConfig& e = config_.endpoints[i];
    Runtime& r = runtime_[i];
    // Spread the first round over the interval, so that the load is even.
    r.due = epoch_ + duration_cast<Clock::duration>(interval_of(i) * (static_cast<double>(i) / n));
    due.emplace_back(r.due, i);
    if (e.job().oauth2) r.token_slot = static_cast<int>(tokens_.add(*e.job().oauth2, e.job().spec));
  }
  heap_ = decltype(heap_)(std::greater<Due>(), std::move(due));  // linear, not n log n pushes
  open_stores();
}

Scheduler::Clock::duration Scheduler::interval_of(std::size_t i) const {
  const auto interval =
      duration_cast<Clock::duration>(std::chrono::duration<double>(config_.endpoints[i].interval_s()));
  return interval > Clock::duration::zero() ? interval : Clock::duration(std::chrono::seconds(10));
}

Scheduler::~Scheduler() = default;

// The state key the check would use for the same request (check_run.cpp),
// or one of the endpoint's own when another endpoint asks the same.
std::string Scheduler::state_key_of(std::size_t i) const {
  const EndpointConfig& e = config_.endpoints[i];
  const std::string identity = check_identity(e.job().spec, e.url);
  if (runtime_[i].own_key) return state_key("collectd|" + e.name + "|" + identity);
  return state_key(e.job().state.key.empty() ? identity : "key|" + e.job().state.key);
}

// Opens each state directory once; the states themselves are read at each
// endpoint's first probe (load_state), so that start-up reads no file per
// endpoint.
void Scheduler::open_stores() {
  std::unordered_map<std::string, int> by_dir;
  std::unordered_map<const EndpointSettings*, int> store_of;  // endpoints written alike share it
  std::unordered_map<std::string, std::size_t> keys;
  keys.reserve(config_.endpoints.size());
  for (std::size_t i = 0; i < config_.endpoints.size(); ++i) {
    const EndpointConfig& e = config_.endpoints[i];
    Runtime& r = runtime_[i];
    std::string key = state_key_of(i);
    if (auto seen = keys.find(key); seen != keys.end()) {
      log(LogLevel::warning, "<Endpoint \"" + e.name + "\"> asks what <Endpoint \"" +
                                 config_.endpoints[seen->second].name +
                                 "\"> asks: its state is kept under its own name (set StateKey to choose)");
      r.own_key = true;
      key = state_key_of(i);
    }
    keys.emplace(std::move(key), i);
    if (!e.job().state.enabled) continue;
    auto [known, fresh] = store_of.try_emplace(e.settings.get(), -1);
    if (fresh) {
      const std::string dir = e.job().state.dir.empty() ? default_state_dir() : e.job().state.dir;
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
        const int index = s.store ? static_cast<int>(stores_.size()) : -1;
        stores_.push_back(std::move(s));
        found = by_dir.emplace(dir, index).first;
      }
      known->second = found->second;
    }
    r.store = known->second;
  }
}

void Scheduler::load_state(std::size_t i) {
  Runtime& r = runtime_[i];
  r.loaded = true;
  if (r.store < 0) return;
  // Opened without waiting: a FIFO in its place never stalls the probes.
  std::string note;
  r.previous = stores_[static_cast<std::size_t>(r.store)].store->load(state_key_of(i), &note);
  if (!note.empty())
    log(LogLevel::warning, "<Endpoint \"" + config_.endpoints[i].name + "\">: state file " + note);
  if (r.previous) {
    r.saved_any = true;
    r.saved_meaning = state_meaning(*r.previous);
    r.saved_checked = r.previous->checked;
  }
  r.saved_at = Clock::now();
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
  return prober_.in_flight() < static_cast<std::size_t>(limit_.limit());
}

// A limit that follows the load learns from every wait; idle connections
// kept follow it (as many as may be in flight), and a change is said.
void Scheduler::follow_load(Clock::time_point now) {
  if (!limit_.update(now)) return;
  const int limit = limit_.limit();
  prober_.set_max_idle_connections(kept_for(limit, config_.socket_room));
  if (limit_.surging() &&
      (saturation_logged_at_ == Clock::time_point{} || now - saturation_logged_at_ >= kStatsEvery)) {
    saturation_logged_at_ = now;
    char text[400];
    std::snprintf(
        text, sizeof text,
        "answers slowed down everywhere at once (a transfer takes %.0f ms on average, against %.0f ms "
        "at best in the last minutes): at most %d transfers at once until that lasts; a saturated "
        "server or CPU, or many endpoints hanging at once, and probes that wait for a slot start late",
        limit_.transfer_seconds() * 1000, limit_.best_seconds() * 1000, limit);
    log(LogLevel::warning, text);
  }
  const bool large = limit >= 2 * limit_logged_ || 2 * limit <= limit_logged_;
  if (!large && now - limit_logged_at_ < kStatsEvery) return;
  limit_logged_ = limit;
  limit_logged_at_ = now;
  char text[200];
  std::snprintf(text, sizeof text,
                "concurrency follows the load: up to %d transfers at once (a transfer takes %.0f ms on "
                "average, %.0f probes a second)%s",
                limit, limit_.transfer_seconds() * 1000, probes_per_second(config_.endpoints),
                limit == limit_.cap() && limit_.wanted() > limit ? ": all the open-file limit allows" : "");
  log(limit == limit_.cap() && limit_.wanted() > limit ? LogLevel::warning : LogLevel::info, text);
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
    prober_.run(ms_until_wake(now, max_wait_ms), done_);
    for (auto& [id, result] : done_) {
      limit_.finished(static_cast<double>(result.timings.total_us) / 1e6);
      if (id >= kTokenFetchIdBase)
        on_token(static_cast<std::size_t>(id - kTokenFetchIdBase), result);
      else
        on_answer(static_cast<std::size_t>(id), std::move(result));
    }
    now = Clock::now();
    follow_load(now);
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
    const Clock::duration interval = interval_of(i);
    Clock::time_point next = due + interval;
    if (next <= now) {  // far behind (a suspended machine): keep the phase, skip the missed rounds
      auto behind = (now - next) / interval + 1;
      next += behind * interval;
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
    if (r.steps && r.steps->next() == CheckSteps::Next::request) start_request(i);
  }
  while (!ready_.empty() && slot_free()) {
    std::size_t i = ready_.front();
    ready_.pop_front();
    Runtime& r = runtime_[i];
    r.queued = false;
    if (now - r.due > interval_of(i) / 2) ++stats_.late;
    begin(i, now);
  }
  if (!ready_.empty() || !pending_.empty()) limit_.bound();
}

void Scheduler::begin(std::size_t i, Clock::time_point now) {
  const EndpointConfig& e = config_.endpoints[i];
  Runtime& r = runtime_[i];
  r.busy = true;
  ++stats_.started;
  if (!r.loaded) load_state(i);
  Context ctx;
  ctx.now = static_cast<std::time_t>(wall());
  ctx.previous = r.previous;
  RequestSpec spec = e.spec();
  spec.want_certificate = spec.want_certificate && certificate_due(i, now);
  // Credentials are read at each probe, so that rotated files are used.
  auto applied = apply_credentials(e.credentials(), spec, process_getenv, config_.secrets.get());
  if (!applied)
    ctx.oauth_failure = OAuthFailure{"auth.missing_credentials", applied.error(), {}};
  else
    ctx.notes.insert(ctx.notes.end(), applied->begin(), applied->end());
  const bool failed = !applied;
  // A finished check's memory serves the next one.
  if (spare_steps_.empty()) {
    r.steps = std::make_unique<CheckSteps>(std::move(spec), e.job().policy,
                                           e.job().oauth2.has_value() && !failed, std::move(ctx), now_ms());
  } else {
    r.steps = std::move(spare_steps_.back());
    spare_steps_.pop_back();
    r.steps->restart(std::move(spec), e.job().policy, e.job().oauth2.has_value() && !failed, std::move(ctx),
                     now_ms());
  }
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
          start_request(i);
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

void Scheduler::start_request(std::size_t i) {
  const CheckSteps& steps = *runtime_[i].steps;
  prober_.start(i, steps.request_spec(), steps.budget_left_ms(now_ms()));
}

void Scheduler::on_answer(std::size_t i, ProbeResult result) {
  if (i >= runtime_.size()) return;
  Runtime& r = runtime_[i];
  if (!r.steps || r.steps->next() != CheckSteps::Next::request) return;
  // A reused connection does not show the certificate again, and a new one
  // reads it only when the last reading is old (certificate_due): the one
  // read last on this endpoint still holds.
  if (result.certificate) {
    r.certificate = keep_certificate(*result.certificate);
    r.certificate_at = Clock::now();
  } else if (r.certificate && result.transport == Transport::ok &&
             config_.endpoints[i].job().spec.want_certificate) {
    result.certificate = *r.certificate;
  }
  r.steps->answer(std::move(result));
  advance(i);
}

// Reading the certificate (libcurl's CERTINFO prints every field of every
// certificate of the chain) costs a new TLS connection a quarter of its
// CPU: it is read at the first probe and then when the last reading is
// kCertificateFresh old. A certificate that changes (a renewal) shows within
// that time.
bool Scheduler::certificate_due(std::size_t i, Clock::time_point now) const {
  const Runtime& r = runtime_[i];
  return !r.certificate || now - r.certificate_at >= kCertificateFresh;
}

// Endpoints behind the same server see the same certificate: one copy.
std::shared_ptr<const Certificate> Scheduler::keep_certificate(const Certificate& c) {
  const Certificate* last = last_certificate_.get();
  if (!last || last->subject != c.subject || last->issuer != c.issuer || last->not_after != c.not_after ||
      last->not_before != c.not_before || last->common_name != c.common_name)
    last_certificate_ = std::make_shared<const Certificate>(c);
  return last_certificate_;
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
  if (spare_steps_.size() < kSpareSteps) spare_steps_.push_back(std::move(steps));
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
  auto saved = s.store->record(state_key_of(i), now_state,
                               r.saved_any ? std::optional(r.saved_meaning) : std::nullopt);
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
  const std::string what = std::to_string(skipped) +
                           " probe rounds skipped (the previous probe still ran) and " +
                           std::to_string(late) + " probes started late in the last 5 minutes: ";
  if (!limit_.adaptive())
    log(LogLevel::warning, what + "raise MaxConcurrency (now " + std::to_string(limit_.limit()) +
                               ") or lower the Timeout of slow endpoints");
  else if (limit_.limit() >= limit_.cap())
    log(LogLevel::warning, what + "the open-file limit allows " + std::to_string(limit_.cap()) +
                               " transfers at once: raise LimitNOFILE in collectd's service (or ulimit -n) "
                               "or lower the Timeout of slow endpoints");
  else
    log(LogLevel::warning, what + "concurrency follows the load (now " + std::to_string(limit_.limit()) +
                               "); lower the Timeout of slow endpoints");
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
