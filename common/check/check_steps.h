// SPDX-License-Identifier: GPL-2.0-or-later
// One check as a step machine: the OAuth token, the request, a fresh token
// once when a cached one is refused with 401, the unauthenticated twin for
// --check-auth-enforced / CheckAuthEnforced, then the judgement. It makes no
// request itself: a driver does what next() asks and feeds the answer back.
// check_probewise drives it blocking (check_run.cpp), probewise.so on its
// multi handle (collectd_plugin/scheduler.cpp), the unit tests by hand. The
// state store is the driver's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "credentials/credentials.h"
#include "credentials/oauth2.h"
#include "http/request_spec.h"
#include "judge/classify.h"
#include "judge/policy.h"

namespace probewise {

struct CheckOutcome {
  ProbeResult result;
  Verdict verdict;
  SentAuth sent;
};

// What the check sent, for the diagnosis: the request's credentials, or the
// OAuth access token that was put on it.
SentAuth sent_auth_of(const RequestSpec& spec, const std::optional<OAuthToken>& token);

class CheckSteps {
 public:
  enum class Next {
    token,    // supply an OAuth token: give_token() or token_failed()
    request,  // make request() and hand its result to answer()
    done,     // outcome() is ready
  };

  // `spec` carries the credentials from files already; `policy` must outlive
  // this object. `start_ms` (any monotonic clock) starts the timeout budget
  // that every request of the check shares, token requests included.
  CheckSteps(RequestSpec spec, const Policy& policy, bool uses_oauth, Context context, std::int64_t start_ms);
  // The same check again, from the start, in this object's memory (a driver
  // of many checks keeps finished ones for the next: no allocation of its own).
  void restart(RequestSpec spec, const Policy& policy, bool uses_oauth, Context context,
               std::int64_t start_ms);

  Next next() const { return next_; }

  // What is left of the budget at `now_ms`: at least 1, since libcurl takes
  // 0 as no limit at all.
  long budget_left_ms(std::int64_t now_ms) const;

  // Next::token: whether the token offered last was refused, so that only a
  // newly fetched one will do, and which token that was ("" = none yet).
  bool wants_fresh_token() const { return refreshing_; }
  const std::string& refused_token() const { return refused_token_; }
  // `from_cache`: held from before this check, so a 401 may be its age.
  void give_token(const OAuthToken& token, bool from_cache);
  void token_failed(const OAuthFailure& failure);

  // Next::request: what to ask now, with the budget that is left; or what
  // to ask (valid until answer()) and the budget apart, for a driver that
  // copies it where it keeps requests anyway.
  RequestSpec request(std::int64_t now_ms) const;
  const RequestSpec& request_spec() const { return asking_ == Asking::main ? spec_ : twin_; }
  void answer(ProbeResult result);

  // Next::done. Call once: the result moves into the outcome.
  CheckOutcome outcome();

  const Context& context() const { return context_; }
  const ProbeResult& result() const { return result_; }

 private:
  enum class Asking { main, unauthenticated };
  void after_main();

  RequestSpec spec_;
  RequestSpec twin_;  // --check-auth-enforced: spec_ without the credentials
  const Policy* policy_;
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
