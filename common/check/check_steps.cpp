// SPDX-License-Identifier: GPL-2.0-or-later
#include "check/check_steps.h"

#include <algorithm>
#include <utility>

namespace probewise {
namespace {

// The one place where the OAuth access token goes on the request, with the
// credentials that go only to the origin. `replacing`: the request carries an
// earlier (refused) token, which this one replaces.
void put_token(RequestSpec& spec, const OAuthToken& token, bool replacing) {
  std::string header = "Authorization: Bearer " + token.access_token;
  if (replacing && !spec.credential_headers.empty())
    spec.credential_headers.back() = std::move(header);
  else
    spec.credential_headers.push_back(std::move(header));
}

}  // namespace

SentAuth sent_auth_of(const RequestSpec& spec, const std::optional<OAuthToken>& token) {
  SentAuth sent = describe_sent_auth(spec);
  if (token) {
    sent.kind = "OAuth access token";
    if (token->expires_at) sent.expires_at = token->expires_at;
    sent.issued_at = token->obtained_at;
  }
  return sent;
}

CheckSteps::CheckSteps(RequestSpec spec, const Policy& policy, bool uses_oauth, Context context,
                       std::int64_t start_ms)
    : spec_(std::move(spec)), policy_(&policy), context_(std::move(context)), start_ms_(start_ms) {
  result_.url = spec_.url;
  next_ = uses_oauth ? Next::token : Next::request;
}

void CheckSteps::restart(RequestSpec spec, const Policy& policy, bool uses_oauth, Context context,
                         std::int64_t start_ms) {
  *this = CheckSteps(std::move(spec), policy, uses_oauth, std::move(context), start_ms);
}

long CheckSteps::budget_left_ms(std::int64_t now_ms) const {
  const std::int64_t left = spec_.timeout_ms - (now_ms - start_ms_);
  return static_cast<long>(std::max<std::int64_t>(1, left));
}

void CheckSteps::give_token(const OAuthToken& token, bool from_cache) {
  if (next_ != Next::token) return;
  put_token(spec_, token, token_.has_value());
  token_ = token;
  token_from_cache_ = from_cache;
  if (refreshing_) {
    refreshing_ = false;
    refreshed_ = true;
  }
  asking_ = Asking::main;
  next_ = Next::request;
}

void CheckSteps::token_failed(const OAuthFailure& failure) {
  if (next_ != Next::token) return;
  if (refreshing_) {
    // No fresh token: the 401 of the cached one stands.
    refreshing_ = false;
    refreshed_ = true;
    after_main();
    return;
  }
  context_.oauth_failure = failure;
  next_ = Next::done;
}

RequestSpec CheckSteps::request(std::int64_t now_ms) const {
  RequestSpec r = request_spec();
  r.timeout_ms = budget_left_ms(now_ms);
  return r;
}

void CheckSteps::answer(ProbeResult result) {
  if (next_ != Next::request) return;
  if (asking_ == Asking::unauthenticated) {
    context_.unauthenticated = std::move(result);
    next_ = Next::done;
    return;
  }
  result_ = std::move(result);
  // A cached token the server no longer takes: a fresh one, once.
  if (result_.status == 401 && token_ && token_from_cache_ && !refreshed_) {
    refreshing_ = true;
    refused_token_ = token_->access_token;
    next_ = Next::token;
    return;
  }
  after_main();
}

void CheckSteps::after_main() {
  if (policy_->check_auth_enforced && !context_.oauth_failure && result_.has_answer()) {
    asking_ = Asking::unauthenticated;
    twin_ = without_credentials(spec_);
    next_ = Next::request;
  } else {
    next_ = Next::done;
  }
}

CheckOutcome CheckSteps::outcome() {
  CheckOutcome out;
  out.sent = sent_auth_of(spec_, token_);
  context_.sent = out.sent;
  out.verdict = classify(result_, *policy_, context_);
  out.result = std::move(result_);
  return out;
}

}  // namespace probewise
