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
#include <unordered_set>
#include <vector>

#include "check/check_run.h"
#include "compare/vantages.h"
#include "config_lines.h"
#include "credentials/credentials.h"
#include "fd_budget.h"
#include "secrets/secret_registry.h"

extern "C" {
#include <liboconfig/oconfig.h>
}

namespace probewise {

// What an <Endpoint> block says apart from its name and URL. Blocks that
// say the same (100,000 endpoints written alike) share one copy.
struct EndpointSettings {
  CheckJob job;  // job.spec.url and job.policy.display_url stay "": each endpoint has its own URL
  CredentialOptions credentials;
  double interval_s = 0;  // seconds between probes
  // Which of SPEC 2's values are dispatched (Values): bit i = value_names()[i].
  std::uint32_t values = ~std::uint32_t{0};
};

struct EndpointConfig {
  std::string name;  // the plugin instance of its values
  std::string url;   // what it probes
  // Never null: spec without the credentials (read at each probe), policy, OAuth, state.
  std::shared_ptr<const EndpointSettings> settings = empty_settings();

  const CheckJob& job() const { return settings->job; }
  const CredentialOptions& credentials() const { return settings->credentials; }
  double interval_s() const { return settings->interval_s; }
  std::uint32_t values() const { return settings->values; }
  // The request it makes: the shared spec with its own URL.
  RequestSpec spec() const;

  static const std::shared_ptr<const EndpointSettings>& empty_settings();
};

inline constexpr std::size_t kDefaultMaxBodyBytes = 256 * 1024;

// <Compare>: the central collectd's compare mode (compare_mode.h).
struct CompareSettings {
  double interval_s = 10;              // between evaluations (Interval; default: collectd's)
  VantageRule rule;                    // VantageQuorum
  std::vector<std::string> hosts;      // Host: the vantages; empty = every host that sends probewise values
  std::vector<std::string> endpoints;  // Endpoint: empty = every endpoint
};

struct PluginConfig {
  // Transfers in flight at once (MaxConcurrency); 0 = as many as the load
  // asks (concurrency.h).
  int max_concurrency = 0;
  int max_connections_per_host = 0;  // 0 = no limit
  // Not keys: what the open-file limit leaves (fd_budget.h). Idle
  // connections kept for the next round with a fixed MaxConcurrency (0 = as
  // many as max_concurrency), and the room for sockets, which bounds a
  // concurrency that follows the load.
  int kept_connections = 0;
  std::size_t socket_room = kNoLimit;
  std::vector<EndpointConfig> endpoints;
  std::optional<CompareSettings> compare;  // a <Compare> block
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
// says in which file and line its item is. Linear in the number of blocks.
// The secrets of the keys (Header values, URL userinfo) go to `secrets`
// when given.
ConfigResult read_config(const oconfig_item_t& block, double default_interval_s,
                         const std::unordered_set<std::string>& taken = {},
                         const ExpandedConfig* lines = nullptr, SecretRegistry* secrets = nullptr);

// The <Compare> block of `block`, into out.config.compare (compare_config.cpp).
void read_compare(const oconfig_item_t& block, double default_interval_s, const ExpandedConfig* lines,
                  ConfigResult& out);

// "probewise/0.1.0 (collectd plugin)"
std::string default_user_agent();

}  // namespace probewise
