// SPDX-License-Identifier: GPL-2.0-or-later
// OAuth 2.0 tokens for the check sequence (check/check_steps.h): one token
// per (token URL, client, scope), kept in memory, fetched by whoever drives
// the checks (a blocking request in check_probewise, the ConcurrentProber of
// the probes in probewise.so). Checks that need a token while it is being
// fetched wait for that one fetch instead of starting their own.
#pragma once

#include <cstddef>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "credentials/oauth2.h"
#include "http/probe_result.h"
#include "http/request_spec.h"
#include "secrets/secret_registry.h"

namespace probewise {

class TokenBroker {
 public:
  // `secrets` (when given, it must outlive the broker) learns each client
  // secret as it is read and each token as it is held (SPEC 1.6).
  explicit TokenBroker(SecretRegistry* secrets = nullptr) : secrets_(secrets) {}

  struct Grant {
    OAuthToken token;
    bool from_cache = false;  // held already, not fetched for this request
  };

  // What acquire() decided.
  struct Acquired {
    std::optional<Grant> grant;          // use this now
    std::optional<OAuthFailure> failed;  // no token, and none is coming (secret unreadable)
    std::optional<RequestSpec> fetch;    // start this token request (the caller waits either way)
  };

  // What the token endpoint's answer means for those that waited.
  struct Delivery {
    std::vector<std::size_t> waiters;
    std::optional<OAuthToken> token;
    OAuthFailure failure;  // when no token
  };

  // Registers a token source; the same config gives the same slot. `base`
  // is the first check's request (TLS, proxy, timeouts).
  std::size_t add(const OAuth2Config& config, const RequestSpec& base);
  std::size_t size() const { return slots_.size(); }

  // A token known from elsewhere (check_probewise's cache file): acquire()
  // grants it while it is usable.
  void hold(std::size_t slot, const OAuthToken& token);

  // A token for `waiter`. `refused` is a token the server refused ("" =
  // none): it is dropped and a fresh one fetched, unless a newer one is held.
  Acquired acquire(std::size_t slot, std::size_t waiter, const std::string& refused, std::time_t now,
                   long timeout_ms);

  // The token request of `slot` finished.
  Delivery complete(std::size_t slot, const ProbeResult& answer, std::time_t now);

  // Forget every fetch in flight (shutdown): their waiters are dropped.
  void cancel_all();

 private:
  struct Slot {
    OAuth2Config config;
    RequestSpec base;
    std::optional<OAuthToken> token;
    bool fetching = false;
    std::vector<std::size_t> waiters;
  };
  void keep(const Slot& slot, const std::string& what, std::vector<std::string> values);
  static std::vector<std::string> tokens_with(const Slot& slot, const OAuthToken& token);

  SecretRegistry* secrets_;
  std::vector<Slot> slots_;
};

}  // namespace probewise
