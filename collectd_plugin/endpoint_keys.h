// SPDX-License-Identifier: GPL-2.0-or-later
// Every key of an <Endpoint> block, in one table: its name and how it sets
// the endpoint's RequestSpec, Policy, credentials and state options. Names
// follow collectd's curl plugin where it has the same option (URL, Header,
// Post, VerifyPeer, ...).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config.h"
#include "config_values.h"

namespace probewise {

// Everything a block's keys set, with what the checks after the keys need
// (the URL key sets e.job.spec.url: the endpoint takes it from there).
struct EndpointBuilder {
  EndpointSettings e;
  std::string name;                   // of the <Endpoint> block
  SecretRegistry* secrets = nullptr;  // learns the secrets of the keys (may be null)
  bool timeout_set = false;
  bool max_body_set = false;
  bool method_set = false;
  std::optional<OAuth2Config> oauth;  // collected key by key
};

struct EndpointKey {
  std::string_view name;
  Check (*set)(EndpointBuilder&, const oconfig_item_t&);  // nullopt when the value is fine
  bool secret = false;                                    // never repeat the value in a message
  // Goes into the request head (a header, the URL, the method): a CR or LF
  // in it is refused (SPEC 1.6). The body and the expectations may hold them.
  bool sent = true;
};

// The key of that name (any case), or nullptr.
const EndpointKey* find_endpoint_key(std::string_view name);
// " (did you mean URL?)" for a key close to a known one, else "".
std::string endpoint_key_suggestion(std::string_view key);

}  // namespace probewise
