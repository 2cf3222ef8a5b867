// SPDX-License-Identifier: GPL-2.0-or-later
// Many checks' steps (check/check_steps.h) on one ConcurrentProber: what the
// drivers that run checks side by side share, probewise.so's scheduler
// (collectd_plugin/scheduler.cpp) and check_probewise's vantages
// (check/vantage_run.h). A check's requests go on the prober under the
// driver's id for it; its OAuth token comes from a TokenBroker whose fetch
// runs on the same prober, once for every check that waits for it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <functional>
#include <optional>
#include <vector>

#include "check/check_steps.h"
#include "credentials/token_broker.h"
#include "http/request.h"

namespace probewise {

// A token fetch runs on the prober under this id plus its broker slot, above
// every check's id.
inline constexpr std::uint64_t kTokenFetchIdBase = std::uint64_t{1} << 40;

// Next::token for check `waiter`: the broker's token (or its failure) goes to
// the steps at once and the result is true (ask next() again); else the
// slot's fetch starts on the prober unless it runs already, and the check
// waits for token_fetched() (false).
bool take_token(CheckSteps& steps, TokenBroker& tokens, std::size_t slot, std::size_t waiter,
                ConcurrentProber& prober, std::time_t now, std::int64_t now_ms);

struct TokenFetched {
  std::vector<std::size_t> waiters;  // the checks that were given the token or its failure
  std::optional<OAuthToken> token;   // the new token, to keep where the driver keeps tokens
};

// The fetch of `slot` finished with `answer`: every check that waited gets
// the token or the failure (`steps_of` finds a waiter's steps, nullptr when it
// no longer waits). The driver then advances the waiters.
TokenFetched token_fetched(TokenBroker& tokens, std::size_t slot, const ProbeResult& answer, std::time_t now,
                           const std::function<CheckSteps*(std::size_t)>& steps_of);

}  // namespace probewise
