// SPDX-License-Identifier: GPL-2.0-or-later
#include "check/check_run.h"

#include <unistd.h>

#include <chrono>
#include <utility>
#include <vector>

#include "check/token_desk.h"
#include "http/request.h"
#include "memory/state_store.h"

namespace probewise {

using Clock = std::chrono::steady_clock;

StateSlot open_state(const CheckJob& job, std::vector<std::string>& notes) {
  StateSlot slot;
  if (!job.state.enabled) return slot;
  auto opened =
      StateStore::open(job.state.dir.empty() ? default_state_dir() : job.state.dir, job.secrets.get());
  if (!opened) {
    notes.push_back("change detection is off: " + opened.error());
    return slot;
  }
  slot.store = std::move(opened).value();
  slot.identity =
      job.state.key.empty() ? check_identity(job.spec) + "|" + job.state.identity : "key|" + job.state.key;
  slot.key = state_key(slot.identity);
  return slot;
}

std::optional<StoredState> StateSlot::load(const std::string& state_key,
                                           std::vector<std::string>& notes) const {
  if (!store) return std::nullopt;
  std::string note;
  auto loaded = store->load(state_key, &note);
  if (!note.empty()) notes.push_back("state file " + note);
  return loaded;
}

std::string check_identity(const RequestSpec& spec) {
  return check_identity(spec, spec.url);
}

std::string check_identity(const RequestSpec& spec, const std::string& url) {
  return std::to_string(geteuid()) + "|" + (spec.method.empty() ? "GET" : spec.method) + "|" + url + "|" +
         spec.connect_host + "|" + std::to_string(spec.connect_port);
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
  StateSlot state = open_state(job, ctx.notes);
  if (state.store) ctx.previous = state.load(state.key, ctx.notes);
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
