// SPDX-License-Identifier: GPL-2.0-or-later
// One check as a sequence of steps for a caller that makes the requests
// itself, on a ConcurrentProber: the order and the judgement of run_check()
// (check_run.cpp) without blocking. Token, main request, a fresh token once
// when a cached one is refused with 401, the unauthenticated twin for
// CheckAuthEnforced, then classify(). The state store is the caller's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "check/check_run.h"
#include "credentials/oauth2.h"
#include "http/request_spec.h"
#include "judge/classify.h"
#include "judge/policy.h"

namespace probewise {

class CheckSteps {
 public:
  enum class Next {
    token,    // supply an OAuth token: give_token() or token_failed()
    request,  // make request() and hand its result to answer()
    done,     // outcome() is ready
  };

  // `spec` carries the credentials from files already; `policy` must outlive
  // this object. `start_ms` (any monotonic clock) starts the Timeout budget
  // that every request of the check shares.
  CheckSteps(RequestSpec spec, const Policy& policy, bool uses_oauth, Context context, std::int64_t start_ms);

  Next next() const { return next_; }

  // Next::token: whether the token offered last was refused, so that only a
  // newly fetched one will do, and which token that was ("" = none yet).
  bool wants_fresh_token() const { return refreshing_; }
  const std::string& refused_token() const { return refused_token_; }
  void give_token(const OAuthToken& token, bool from_cache);
  void token_failed(const OAuthFailure& failure);

  // Next::request: what to ask now, with the budget that is left.
  RequestSpec request(std::int64_t now_ms) const;
  void answer(ProbeResult result);

  // Next::done. Call once: the result moves into the outcome.
  CheckOutcome outcome();

  const Context& context() const { return context_; }
  const ProbeResult& result() const { return result_; }

 private:
  enum class Asking { main, unauthenticated };
  void after_main();

  RequestSpec spec_;
  const Policy& policy_;
  Context context_;
  std::int64_t start_ms_;
  Next next_ = Next::done;
  Asking asking_ = Asking::main;
  std::optional<OAuthToken> token_;
  bool token_from_cache_ = false;
  bool refreshing_ = false;
  bool refreshed_ = false;
  std::string refused_token_;
  ProbeResult result_;
};

}  // namespace probewise
