// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "base/text.h"
#include "base/version.h"
#include "config_values.h"
#include "credentials/file_access.h"
#include "endpoint_keys.h"
#include "evidence/health.h"

namespace probewise {
namespace {

// collectd's DATA_MAX_NAME_LEN, less the terminating NUL: the longest
// plugin instance a value list can carry.
constexpr std::size_t kMaxNameLength = 127;
constexpr double kDefaultTimeoutSeconds = 10;

std::string block_path(const std::string& endpoint) {
  return "<Plugin probewise>" + (endpoint.empty() ? "" : " <Endpoint \"" + endpoint + "\">");
}

// " (at /etc/collectd/collectd.conf:42)" when the item's place is known.
std::string at(const ExpandedConfig* lines, const oconfig_item_t& item) {
  if (!lines) return "";
  auto where = lines->where(item);
  return where ? " (at " + *where + ")" : "";
}

// What the plugin-wide keys set: limits, and the defaults of every endpoint.
struct PluginDefaults {
  std::string state_dir;
  bool persist = true;
};

// An endpoint before its keys: the plugin's defaults and collectd's habits.
EndpointBuilder endpoint_defaults(double interval_s, const PluginDefaults& plugin) {
  EndpointBuilder b;
  b.e.interval_s = interval_s;
  RequestSpec& spec = b.e.job.spec;
  spec.user_agent = default_user_agent();
  // collectd's curl plugins verify by default; VerifyPeer false turns it off.
  spec.verify_peer = true;
  spec.verify_host = true;
  spec.max_body_bytes = kDefaultMaxBodyBytes;
  b.e.job.state.dir = plugin.state_dir;
  b.e.job.state.enabled = plugin.persist;
  return b;
}

// Blocks read so far, by what they say apart from their URL (settings_key):
// the settings they share.
using SettingsCache = std::unordered_map<std::string, std::shared_ptr<const EndpointSettings>>;

void append_sized(std::string& out, std::string_view text) {
  const std::size_t n = text.size();
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out.append(text);
}

// Everything an item says, unambiguously (for equality, not for reading).
void append_item(std::string& out, const oconfig_item_t& item) {
  append_sized(out, item.key ? item.key : "");
  for (int v = 0; v < item.values_num; ++v) {
    const oconfig_value_t& value = item.values[v];
    out.push_back(static_cast<char>('0' + value.type));
    if (value.type == OCONFIG_TYPE_STRING)
      append_sized(out, value.value.string ? value.value.string : "");
    else if (value.type == OCONFIG_TYPE_NUMBER)
      out.append(reinterpret_cast<const char*>(&value.value.number), sizeof value.value.number);
    else
      out.push_back(value.value.boolean ? '1' : '0');
  }
  out.push_back('{');
  for (int c = 0; c < item.children_num; ++c) append_item(out, item.children[c]);
  out.push_back('}');
}

bool is_url_item(const oconfig_item_t& item) {
  return item.key && iequals(item.key, "URL");
}

// What a block says apart from its URL: blocks that say the same read to
// the same settings. A URL's scheme stays in (https asks for the
// certificate), and so does a URL that is not one string.
std::string settings_key(const oconfig_item_t& block) {
  std::string key;
  for (int c = 0; c < block.children_num; ++c) {
    const oconfig_item_t& item = block.children[c];
    if (is_url_item(item) && item.values_num == 1 && item.values[0].type == OCONFIG_TYPE_STRING &&
        item.values[0].value.string && item.children_num == 0) {
      const std::string_view url(item.values[0].value.string);
      key += "\x01URL:";
      key += to_lower(url.substr(0, url.find(':')));
      key.push_back('\x01');
    } else {
      append_item(key, item);
    }
  }
  return key;
}

enum class Keys { all, url_only };

void read_endpoint_keys(const oconfig_item_t& block, const std::string& name, EndpointBuilder& b,
                        const ExpandedConfig* lines, std::vector<std::string>& errors, Keys which) {
  const std::string where = block_path(name);
  for (int c = 0; c < block.children_num; ++c) {
    const oconfig_item_t& item = block.children[c];
    if (which == Keys::url_only && !is_url_item(item)) continue;
    const std::string key = key_of(item);
    if (item.children_num > 0) {
      errors.push_back(where + ": <" + key + "> is not a block the plugin knows; expected a key such as URL" +
                       at(lines, item));
      continue;
    }
    const EndpointKey* k = find_endpoint_key(key);
    if (!k) {
      errors.push_back(where + ": unknown key \"" + key + "\"" + endpoint_key_suggestion(key) +
                       at(lines, item));
      continue;
    }
    if (k->sent && breaks_a_line(item)) {
      // It would end the header or request line it goes into (SPEC 1.6).
      errors.push_back(where + ": " + key + ": expected a value without a line break (CR or LF)" +
                       (k->secret ? "" : ", got " + given(item, false)) + at(lines, item));
      continue;
    }
    if (auto problem = k->set(b, item))
      errors.push_back(problem_text(where, item, *problem, k->secret) + at(lines, item));
  }
}

// What only the whole block can tell: a missing URL, a partial OAuth client,
// defaults that depend on other keys.
void complete_endpoint(const oconfig_item_t& block, const std::string& name, EndpointBuilder& b,
                       const ExpandedConfig* lines, std::vector<std::string>& errors) {
  const std::string where = block_path(name);
  RequestSpec& spec = b.e.job.spec;
  if (spec.url.empty())
    errors.push_back(where + ": URL: missing; every endpoint needs one" + at(lines, block));
  if (b.oauth) {
    if (b.oauth->token_url.empty() || b.oauth->client_id.empty() || b.oauth->client_secret_file.empty())
      errors.push_back(where +
                       ": OAuth2TokenURL, OAuth2ClientID and OAuth2ClientSecretFile: expected all three "
                       "together (OAuth2Scope is optional)" +
                       at(lines, block));
    b.e.job.oauth2 = b.oauth;
  }
  if (!b.timeout_set) {
    double s = std::min(kDefaultTimeoutSeconds, b.e.interval_s);
    spec.timeout_ms = std::max(1L, static_cast<long>(s * 1000));
    b.e.job.policy.timeout_seconds = s;
  }
  if (spec.has_body && !b.method_set) spec.method = "POST";
  if (b.e.job.policy.health && !b.max_body_set) spec.max_body_bytes = kMaxHealthBodyBytes;
  spec.want_certificate = starts_with(to_lower(spec.url), "https:");
}

// A block whose settings_key was read before takes its settings and reads
// only its URL: 100,000 blocks written alike cost one reading of their keys
// and one copy of what they say.
std::optional<EndpointConfig> read_endpoint(const oconfig_item_t& block, const std::string& name,
                                            double default_interval_s, const PluginDefaults& plugin,
                                            const ExpandedConfig* lines, SecretRegistry* secrets,
                                            std::vector<std::string>& errors, SettingsCache& cache) {
  const std::size_t errors_before = errors.size();
  std::string said = settings_key(block);
  const auto known = cache.find(said);
  const bool read_before = known != cache.end();
  EndpointBuilder b = read_before ? EndpointBuilder{} : endpoint_defaults(default_interval_s, plugin);
  b.name = name;
  b.secrets = secrets;
  read_endpoint_keys(block, name, b, lines, errors, read_before ? Keys::url_only : Keys::all);
  if (!read_before) complete_endpoint(block, name, b, lines, errors);
  if (errors.size() != errors_before) return std::nullopt;
  EndpointConfig e;
  e.name = name;
  e.url = std::move(b.e.job.spec.url);
  if (read_before) {
    e.settings = known->second;
  } else {
    b.e.job.spec.url.clear();
    e.settings = cache.emplace(std::move(said), std::make_shared<const EndpointSettings>(std::move(b.e)))
                     .first->second;
  }
  return e;
}

// A whole number from `low` to `high`, for the plugin-wide limits.
Check set_count(const oconfig_item_t& item, int& out, int low, const std::string& expected) {
  auto d = one_number(item);
  if (!d || *d < low || *d > 100000 || *d != std::floor(*d)) return expect(expected);
  out = static_cast<int>(*d);
  return std::nullopt;
}

// The plugin-wide keys, read before the endpoints: they are their defaults.
PluginDefaults read_plugin_keys(const oconfig_item_t& block, const ExpandedConfig* lines, ConfigResult& out) {
  const std::string where = block_path("");
  PluginDefaults defaults;
  for (int c = 0; c < block.children_num; ++c) {
    const oconfig_item_t& item = block.children[c];
    const std::string key = key_of(item);
    if (iequals(key, "Endpoint") || iequals(key, "Compare")) continue;
    Check problem;
    if (iequals(key, "MaxConcurrency")) {
      problem = set_count(item, out.config.max_concurrency, 1, "a whole number from 1 to 100000");
    } else if (iequals(key, "MaxConnectionsPerHost")) {
      problem = set_count(item, out.config.max_connections_per_host, 0,
                          "a whole number from 0 (no limit) to 100000");
    } else if (iequals(key, "StateDir")) {
      problem = set_path(item, defaults.state_dir);
    } else if (iequals(key, "PersistState")) {
      problem = set_bool(item, defaults.persist);
    } else {
      std::string hint =
          find_endpoint_key(key) ? " (an endpoint key: put it inside <Endpoint \"name\">)" : "";
      out.errors.push_back(where + ": unknown key \"" + key + "\"" + hint +
                           "; expected MaxConcurrency, MaxConnectionsPerHost, StateDir, PersistState, "
                           "<Endpoint \"name\"> blocks or a <Compare> block" +
                           at(lines, item));
      continue;
    }
    if (problem) out.errors.push_back(problem_text(where, item, *problem, false) + at(lines, item));
  }
  return defaults;
}

// The <Endpoint "name"> blocks; one with errors is left out with them.
void read_endpoints(const oconfig_item_t& block, double default_interval_s, const PluginDefaults& defaults,
                    const std::unordered_set<std::string>& taken, const ExpandedConfig* lines,
                    SecretRegistry* secrets, ConfigResult& out) {
  const std::string where = block_path("");
  std::unordered_set<std::string> names;
  SettingsCache cache;
  int blocks = 0;
  for (int c = 0; c < block.children_num; ++c) {
    const oconfig_item_t& item = block.children[c];
    if (!iequals(key_of(item), "Endpoint")) continue;
    ++blocks;
    auto name = one_string(item);
    if (!name || name->empty() || name->size() > kMaxNameLength || name->find('/') != std::string::npos) {
      out.errors.push_back(where +
                           ": <Endpoint>: expected one name in quotes, 1 to 127 characters without '/' "
                           "(it becomes the plugin instance), got " +
                           given(item, false) + "; the block is ignored" + at(lines, item));
      continue;
    }
    if (taken.count(*name) || names.count(*name)) {
      out.errors.push_back(block_path(*name) +
                           ": the name is taken by an earlier <Endpoint>; expected each "
                           "endpoint to have its own name; the block is ignored" +
                           at(lines, item));
      continue;
    }
    auto endpoint =
        read_endpoint(item, *name, default_interval_s, defaults, lines, secrets, out.errors, cache);
    if (!endpoint) {
      out.errors.push_back(block_path(*name) + ": not probed because of the errors above" + at(lines, item));
      continue;
    }
    names.insert(*name);
    out.config.endpoints.push_back(std::move(*endpoint));
  }
  if (blocks == 0 && !out.config.compare)
    out.errors.push_back(where +
                         ": no <Endpoint \"name\"> block; expected at least one (or a <Compare> block)" +
                         at(lines, block));
}

// SPEC 1.6: a warning for each credential file that others may read, once
// however many endpoints use it.
void warn_about_credential_files(ConfigResult& out) {
  std::vector<std::string> seen;
  std::unordered_set<const EndpointSettings*> read;
  for (const auto& e : out.config.endpoints) {
    if (!read.insert(e.settings.get()).second) continue;
    for (auto& note : credential_file_notes(e.credentials(), e.job().oauth2)) {
      if (std::find(seen.begin(), seen.end(), note) != seen.end()) continue;
      out.warnings.push_back(block_path(e.name) + ": " + note);
      seen.push_back(std::move(note));
    }
  }
}

}  // namespace

const std::shared_ptr<const EndpointSettings>& EndpointConfig::empty_settings() {
  static const std::shared_ptr<const EndpointSettings> empty = std::make_shared<const EndpointSettings>();
  return empty;
}

RequestSpec EndpointConfig::spec() const {
  RequestSpec spec = settings->job.spec;
  spec.url = url;
  return spec;
}

std::string default_user_agent() {
  return "probewise/" PROBEWISE_VERSION " (collectd plugin)";
}

ConfigResult read_config(const oconfig_item_t& block, double default_interval_s,
                         const std::unordered_set<std::string>& taken, const ExpandedConfig* lines,
                         SecretRegistry* secrets) {
  ConfigResult out;
  const PluginDefaults defaults = read_plugin_keys(block, lines, out);
  read_compare(block, default_interval_s, lines, out);
  read_endpoints(block, default_interval_s, defaults, taken, lines, secrets, out);
  warn_about_credential_files(out);
  return out;
}

}  // namespace probewise
