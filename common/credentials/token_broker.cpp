// SPDX-License-Identifier: GPL-2.0-or-later
#include "credentials/token_broker.h"

#include <algorithm>
#include <utility>

#include "credentials/credentials.h"

namespace probewise {

std::size_t TokenBroker::add(const OAuth2Config& config, const RequestSpec& base) {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const OAuth2Config& c = slots_[i].config;
    if (c.token_url == config.token_url && c.client_id == config.client_id && c.scope == config.scope &&
        c.client_secret_file == config.client_secret_file)
      return i;
  }
  Slot slot;
  slot.config = config;
  slot.base = base;
  slots_.push_back(std::move(slot));
  return slots_.size() - 1;
}

void TokenBroker::keep(const Slot& slot, const std::string& what, std::vector<std::string> values) {
  if (secrets_)
    secrets_->put(
        "OAuth " + what + " " + slot.config.token_url + " " + slot.config.client_id + " " + slot.config.scope,
        std::move(values));
}

// The token now held, and the one it replaces (a server may still repeat it).
std::vector<std::string> TokenBroker::tokens_with(const Slot& slot, const OAuthToken& token) {
  std::vector<std::string> values{token.access_token};
  if (slot.token && slot.token->access_token != token.access_token)
    values.push_back(slot.token->access_token);
  return values;
}

void TokenBroker::hold(std::size_t slot, const OAuthToken& token) {
  Slot& s = slots_.at(slot);
  keep(s, "token", tokens_with(s, token));
  s.token = token;
}

TokenBroker::Acquired TokenBroker::acquire(std::size_t slot, std::size_t waiter, const std::string& refused,
                                           std::time_t now, long timeout_ms) {
  Acquired out;
  Slot& s = slots_.at(slot);
  if (s.token && !refused.empty() && s.token->access_token == refused) s.token.reset();
  if (s.token && token_usable(*s.token, now)) {
    // A token that replaced the refused one counts as fresh: no second retry.
    out.grant = Grant{*s.token, refused.empty()};
    return out;
  }
  if (s.fetching) {
    s.waiters.push_back(waiter);
    return out;
  }
  // The secret is read for each fetch, so that a rotated secret is used.
  auto secret = read_secret_file(s.config.client_secret_file);
  if (!secret) {
    out.failed = OAuthFailure{"auth.missing_credentials", "the OAuth client secret: " + secret.error(), {}};
    return out;
  }
  RequestSpec base = s.base;
  base.timeout_ms = timeout_ms;
  out.fetch = token_request(s.config, *secret, base);
  // The secret as read and as its Basic header carries it, form-encoded.
  std::vector<std::string> values = basic_secrets(out.fetch->basic_auth);
  values.push_back(*secret);
  keep(s, "client secret", std::move(values));
  s.fetching = true;
  s.waiters.push_back(waiter);
  return out;
}

TokenBroker::Delivery TokenBroker::complete(std::size_t slot, const ProbeResult& answer, std::time_t now) {
  Delivery d;
  Slot& s = slots_.at(slot);
  s.fetching = false;
  d.waiters.swap(s.waiters);
  auto token = read_token_response(answer, now, d.failure);
  if (token) {
    keep(s, "token", tokens_with(s, *token));
    s.token = *token;
    d.token = *token;
  } else {
    s.token.reset();
  }
  return d;
}

void TokenBroker::cancel_all() {
  for (auto& s : slots_) {
    s.fetching = false;
    s.waiters.clear();
  }
}

}  // namespace probewise
