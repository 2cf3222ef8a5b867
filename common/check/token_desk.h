// SPDX-License-Identifier: GPL-2.0-or-later
// check_probewise's OAuth token (check/check_run.h, check/vantage_run.h): one
// TokenBroker slot, seeded from the token cache file in the state directory
// while the cached token is usable, and a fetched token written back for the
// next run. The blocking driver fetches through supply(); the vantages'
// driver fetches on its prober (check/prober_steps.h) and calls remember().
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "check/check_steps.h"
#include "credentials/token_broker.h"
#include "memory/state_store.h"

namespace probewise {

// Makes one request, blocking (http/request.h's perform(), or a stand-in).
using Perform = std::function<ProbeResult(const RequestSpec&)>;

class TokenDesk {
 public:
  // `store` (nullptr: no cache) and `secrets` (nullptr: none) must outlive
  // the desk; the secrets learn the client secret and each token. A cache
  // file of another shape is a miss; one that is no regular file adds a
  // note to `notes`.
  TokenDesk(const OAuth2Config& config, const RequestSpec& base, const StateStore* store,
            SecretRegistry* secrets, std::vector<std::string>& notes);

  // Next::token, blocking: the cached token, else one fetched with perform_fn.
  void supply(CheckSteps& steps, long budget_ms, std::time_t now, const Perform& perform_fn);
  // A token fetched elsewhere, cached for the next run.
  void remember(const OAuthToken& token) const;

  TokenBroker& broker() { return broker_; }
  std::size_t slot() const { return slot_; }
  // The token requests' -v trace, which goes before the check's own.
  const std::vector<std::string>& trace() const { return trace_; }

 private:
  TokenBroker broker_;
  std::size_t slot_;
  const StateStore* store_;
  std::string cache_name_;
  std::vector<std::string> trace_;
};

}  // namespace probewise
