// SPDX-License-Identifier: GPL-2.0-or-later
// check_probewise's driver of the check sequence (check/check_steps.h):
// each step's request made blocking, the OAuth token from its cache file or
// endpoint, the previous state loaded before and the new one saved after.
#pragma once

#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "check/check_steps.h"
#include "check/token_desk.h"
#include "credentials/oauth2.h"
#include "http/request_spec.h"
#include "judge/policy.h"
#include "memory/state_store.h"
#include "secrets/secret_registry.h"

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
  // Every secret of the check (SPEC 1.6): the OAuth client secret and
  // tokens join it; the state files are redacted with it. May be null.
  std::shared_ptr<SecretRegistry> secrets;
};

// The identity the state key is derived from: who runs it and what it asks
// (`url` in place of spec.url: the collectd plugin keeps URLs apart).
std::string check_identity(const RequestSpec& spec);
std::string check_identity(const RequestSpec& spec, const std::string& url);

// The check's state directory, when change detection is on, and what it
// keeps this check's state under.
struct StateSlot {
  std::optional<StateStore> store;  // nullopt: change detection is off
  std::string identity;             // what the key is derived from
  std::string key;                  // state_key(identity)

  // The state of `key` from the store; a note when something other than
  // a regular file stands in its place (it is never waited on).
  std::optional<StoredState> load(const std::string& key, std::vector<std::string>& notes) const;
};
// A directory that cannot be used adds a note and leaves the store empty.
StateSlot open_state(const CheckJob& job, std::vector<std::string>& notes);

// The check as of time(nullptr), with perform().
CheckOutcome run_check(const CheckJob& job);
// The same with the requests and the time given (for tests).
CheckOutcome run_check(const CheckJob& job, const Perform& perform_fn, std::time_t now);

}  // namespace probewise
