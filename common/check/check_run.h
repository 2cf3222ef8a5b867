// SPDX-License-Identifier: GPL-2.0-or-later
// One whole check, as both front ends run it: credentials (OAuth token from
// its cache or endpoint), the request, the unauthenticated twin for
// --check-auth-enforced, the previous state, the judgement, the new state.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "credentials/oauth2.h"
#include "http/request_spec.h"
#include "judge/classify.h"
#include "judge/policy.h"

namespace probewise {

struct StateOptions {
  bool enabled = true;   // --no-state turns it off
  std::string dir;       // "" = default_state_dir()
  std::string key;       // "" = derived from what is checked
  std::string identity;  // what the front end says the check is (e.g. its options), part of the key
};

struct CheckJob {
  RequestSpec spec;  // credentials from files/env already on it
  Policy policy;
  std::optional<OAuth2Config> oauth2;
  StateOptions state;
};

struct CheckOutcome {
  ProbeResult result;
  Verdict verdict;
  SentAuth sent;
};

// What the check sent, for the diagnosis: the request's credentials, or the
// OAuth access token that was put on it.
SentAuth sent_auth_of(const RequestSpec& spec, const std::optional<OAuthToken>& token);

// The identity the state key is derived from: who runs it and what it asks.
std::string check_identity(const RequestSpec& spec);

// `clock` is injectable for tests; the default is time(nullptr).
CheckOutcome run_check(const CheckJob& job, std::time_t (*clock)(std::time_t*) = std::time);

}  // namespace probewise
