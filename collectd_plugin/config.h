// SPDX-License-Identifier: GPL-2.0-or-later
// The plugin's collectd configuration (SPEC 2): a <Plugin probewise> block
// mapped to the RequestSpec and Policy the check builds from its options.
// Pure: reads an oconfig_item_t tree and never calls into collectd, so tests
// build trees by hand. A bad <Endpoint> block is dropped with its errors;
// the others stay.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "check/check_run.h"
#include "config_lines.h"
#include "credentials/credentials.h"
#include "secrets/secret_registry.h"

extern "C" {
#include <liboconfig/oconfig.h>
}

namespace probewise {

struct EndpointConfig {
  std::string name;  // the plugin instance of its values
  CheckJob job;      // spec without the credentials (read at each probe), policy, OAuth, state
  CredentialOptions credentials;
  double interval_s = 0;  // seconds between probes
  // Which of SPEC 2's values are dispatched (Values): bit i = value_names()[i].
  std::uint32_t values = ~std::uint32_t{0};
};

inline constexpr int kDefaultMaxConcurrency = 256;
inline constexpr std::size_t kDefaultMaxBodyBytes = 256 * 1024;

struct PluginConfig {
  int max_concurrency = kDefaultMaxConcurrency;  // transfers in flight at once
  int max_connections_per_host = 0;              // 0 = no limit
  // Idle connections kept for the next round (not a key: the open-file
  // limit's share, see fd_budget.h); 0 = as many as max_concurrency.
  int kept_connections = 0;
  std::vector<EndpointConfig> endpoints;
  // Every secret of every endpoint (SPEC 1.6): the Header values and URL
  // userinfo from the configuration, the credential files, variables and
  // OAuth tokens as the probes read them. The log lines, notifications and
  // state files are redacted with it.
  std::shared_ptr<SecretRegistry> secrets;
};

struct ConfigResult {
  PluginConfig config;
  // Each says where (block path and key), what was expected and what was
  // given (secrets not repeated). Ready for plugin_log after the prefix.
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
};

// `default_interval_s`: collectd's interval for the plugin. `taken` are the
// endpoint names configured already (by an earlier <Plugin probewise> block).
// With `lines` (the block's own tree, Includes expanded), an error also
// says in which file and line its item is. The secrets of the keys (Header
// values, URL userinfo) go to `secrets` when given.
ConfigResult read_config(const oconfig_item_t& block, double default_interval_s,
                         const std::vector<std::string>& taken = {}, const ExpandedConfig* lines = nullptr,
                         SecretRegistry* secrets = nullptr);

// "probewise/0.1.0 (collectd plugin)"
std::string default_user_agent();

}  // namespace probewise
