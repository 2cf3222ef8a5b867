// SPDX-License-Identifier: GPL-2.0-or-later
#include "check/check_run.h"

#include <unistd.h>

#include <chrono>
#include <utility>
#include <vector>

#include "credentials/token_broker.h"
#include "http/request.h"
#include "memory/state_store.h"

namespace probewise {
namespace {

using Clock = std::chrono::steady_clock;

// The state directory of the check, when change detection is on.
struct StateSlot {
  std::optional<StateStore> store;
  std::string key;
};

StateSlot open_state(const CheckJob& job, Context& ctx) {
  StateSlot slot;
  if (!job.state.enabled) return slot;
  auto opened =
      StateStore::open(job.state.dir.empty() ? default_state_dir() : job.state.dir, job.secrets.get());
  if (!opened) {
    ctx.notes.push_back("change detection is off: " + opened.error());
    return slot;
  }
  slot.store = std::move(opened).value();
  slot.key = state_key(job.state.key.empty() ? check_identity(job.spec) + "|" + job.state.identity
                                             : "key|" + job.state.key);
  std::string note;
  ctx.previous = slot.store->load(slot.key, &note);
  if (!note.empty()) ctx.notes.push_back("state file " + note);
  return slot;
}

// The check's OAuth token: the one cached in the state directory while it
// is usable, else one from the token endpoint, fetched within the budget
// and cached for the next run.
class TokenDesk {
 public:
  TokenDesk(const OAuth2Config& config, const RequestSpec& base, const StateStore* store,
            SecretRegistry* secrets, std::vector<std::string>& notes)
      : broker_(secrets),
        slot_(broker_.add(config, base)),
        store_(store),
        cache_name_("oauth-" + state_key(config.token_url + "|" + config.client_id + "|" + config.scope) +
                    ".json") {
    if (!store_) return;
    std::string note;
    // A cache of another shape is a miss: a fresh token is fetched.
    if (auto text = store_->read_file(cache_name_, &note))
      if (auto cached = parse_token_cache(*text)) broker_.hold(slot_, *cached);
    if (!note.empty()) notes.push_back("token cache " + note);
  }

  void supply(CheckSteps& steps, long budget_ms, std::time_t now, const Perform& perform_fn) {
    auto got = broker_.acquire(slot_, 0, steps.wants_fresh_token() ? steps.refused_token() : std::string(),
                               now, budget_ms);
    if (got.grant) return steps.give_token(got.grant->token, got.grant->from_cache);
    if (got.failed) return steps.token_failed(*got.failed);
    ProbeResult answer = perform_fn(*got.fetch);
    trace_.insert(trace_.end(), answer.trace.begin(), answer.trace.end());
    auto delivery = broker_.complete(slot_, answer, now);
    if (!delivery.token) return steps.token_failed(delivery.failure);
    if (store_) (void)store_->write_file(cache_name_, serialize_token(*delivery.token));
    steps.give_token(*delivery.token, false);
  }

  // The token requests' -v trace, which goes before the check's own.
  const std::vector<std::string>& trace() const { return trace_; }

 private:
  TokenBroker broker_;
  std::size_t slot_;
  const StateStore* store_;
  std::string cache_name_;
  std::vector<std::string> trace_;
};

}  // namespace

std::string check_identity(const RequestSpec& spec) {
  return std::to_string(geteuid()) + "|" + (spec.method.empty() ? "GET" : spec.method) + "|" + spec.url +
         "|" + spec.connect_host + "|" + std::to_string(spec.connect_port);
}

CheckOutcome run_check(const CheckJob& job) {
  return run_check(job, perform, std::time(nullptr));
}

CheckOutcome run_check(const CheckJob& job, const Perform& perform_fn, std::time_t now) {
  const Clock::time_point start = Clock::now();
  auto elapsed_ms = [start] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  };
  Context ctx;
  ctx.now = now;
  StateSlot state = open_state(job, ctx);
  const StateStore* store = state.store ? &*state.store : nullptr;
  std::optional<TokenDesk> tokens;
  if (job.oauth2) tokens.emplace(*job.oauth2, job.spec, store, job.secrets.get(), ctx.notes);

  CheckSteps steps(job.spec, job.policy, job.oauth2.has_value(), std::move(ctx), 0);
  for (bool done = false; !done;) {
    switch (steps.next()) {
      case CheckSteps::Next::token:
        tokens->supply(steps, steps.budget_left_ms(elapsed_ms()), now, perform_fn);
        break;
      case CheckSteps::Next::request: steps.answer(perform_fn(steps.request(elapsed_ms()))); break;
      case CheckSteps::Next::done: done = true; break;
    }
  }

  CheckOutcome out = steps.outcome();
  if (tokens)
    out.result.trace.insert(out.result.trace.begin(), tokens->trace().begin(), tokens->trace().end());
  if (state.store) {
    const auto& previous = steps.context().previous;
    auto saved =
        state.store->record(state.key, next_state(previous, observe(out.result, out.verdict, out.sent), now),
                            previous ? std::optional(state_meaning(*previous)) : std::nullopt);
    if (!saved) out.verdict.notes.push_back("change detection is off: " + saved.error());
  }
  return out;
}

}  // namespace probewise
