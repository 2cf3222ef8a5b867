// SPDX-License-Identifier: GPL-2.0-or-later
#include "check/token_desk.h"

namespace probewise {

TokenDesk::TokenDesk(const OAuth2Config& config, const RequestSpec& base, const StateStore* store,
                     SecretRegistry* secrets, std::vector<std::string>& notes)
    : broker_(secrets),
      slot_(broker_.add(config, base)),
      store_(store),
      cache_name_("oauth-" + state_key(config.token_url + "|" + config.client_id + "|" + config.scope) +
                  ".json") {
  if (!store_) return;
  std::string note;
  if (auto text = store_->read_file(cache_name_, &note))
    if (auto cached = parse_token_cache(*text)) broker_.hold(slot_, *cached);
  if (!note.empty()) notes.push_back("token cache " + note);
}

void TokenDesk::supply(CheckSteps& steps, long budget_ms, std::time_t now, const Perform& perform_fn) {
  auto got = broker_.acquire(slot_, 0, steps.wants_fresh_token() ? steps.refused_token() : std::string(), now,
                             budget_ms);
  if (got.grant) return steps.give_token(got.grant->token, got.grant->from_cache);
  if (got.failed) return steps.token_failed(*got.failed);
  ProbeResult answer = perform_fn(*got.fetch);
  trace_.insert(trace_.end(), answer.trace.begin(), answer.trace.end());
  auto delivery = broker_.complete(slot_, answer, now);
  if (!delivery.token) return steps.token_failed(delivery.failure);
  remember(*delivery.token);
  steps.give_token(*delivery.token, false);
}

void TokenDesk::remember(const OAuthToken& token) const {
  if (store_) (void)store_->write_file(cache_name_, serialize_token(token));
}

}  // namespace probewise
