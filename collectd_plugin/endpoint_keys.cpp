// SPDX-License-Identifier: GPL-2.0-or-later
#include "endpoint_keys.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "base/text.h"
#include "evidence/health.h"
#include "http/request.h"
#include "http/vantage.h"
#include "judge/status_list.h"
#include "report.h"
#include "secrets/redact.h"

namespace probewise {
namespace {

// Levenshtein distance, for "did you mean".
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                  std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The secrets of a key, under a source of their own per endpoint: `put`
// replaces what the key gave before, `add` adds (a repeated key).
void keep_secrets(EndpointBuilder& b, const char* key, std::vector<std::string> values) {
  if (b.secrets) b.secrets->put("<Endpoint \"" + b.name + "\"> " + key, std::move(values));
}
void add_secrets(EndpointBuilder& b, const char* key, std::vector<std::string> values) {
  if (b.secrets) b.secrets->add("<Endpoint \"" + b.name + "\"> " + key, std::move(values));
}

const EndpointKey kEndpointKeys[] = {
    // The request
    {"URL",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s || !valid_url(*s)) return expect("an absolute http:// or https:// URL in quotes");
       b.e.job.spec.url = *s;
       keep_secrets(b, "URL", userinfo_secrets(*s));
       return std::nullopt;
     }},
    {"Address",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_string(i, b.e.job.spec.connect_host); }},
    {"Method",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s || s->empty() || s->find_first_of(" \t\r\n") != std::string::npos)
         return expect("an HTTP method such as \"GET\", \"HEAD\" or \"POST\"");
       b.e.job.spec.method = *s;
       b.method_set = true;
       return std::nullopt;
     }},
    {"Header",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s || s->find(':') == std::string::npos || s->front() == ':')
         return Problem{"one \"Name: value\" header line", false};
       b.e.job.spec.headers.push_back(*s);
       // Every header but the public ones stays with the origin, its value a secret.
       const std::string_view name = trim(std::string_view(*s).substr(0, s->find(':')));
       if (!is_public_header(name) && !iequals(name, "host")) add_secrets(b, "Header", header_secrets(*s));
       return std::nullopt;
     },
     true},
    {"Post",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s) return Problem{"the request body as one string", false};
       b.e.job.spec.has_body = true;
       b.e.job.spec.body = *s;
       keep_secrets(b, "Post", form_secrets(*s));  // a login form's password
       return std::nullopt;
     },
     true, false},
    {"ContentType",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_string(i, b.e.job.spec.content_type); }},
    {"UserAgent", [](EndpointBuilder& b,
                     const oconfig_item_t& i) { return set_string(i, b.e.job.spec.user_agent, true); }},
    {"NoBody", [](EndpointBuilder& b, const oconfig_item_t& i) { return set_bool(i, b.e.job.spec.no_body); }},
    {"FollowRedirects",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       bool follow = false;
       if (auto p = set_bool(i, follow)) return p;
       b.e.job.spec.redirects = follow ? RedirectMode::curl : RedirectMode::none;
       return std::nullopt;
     }},
    {"MaxRedirects",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       auto d = one_number(i);
       if (!d || *d < 0 || *d > 1000 || *d != std::floor(*d)) return expect("a whole number from 0 to 1000");
       b.e.job.spec.max_redirects = static_cast<int>(*d);
       return std::nullopt;
     }},
    {"HTTPVersion",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       auto text = one_text(i);
       auto v = text ? parse_http_version(*text, true) : std::nullopt;  // HTTP/1.1 over plain HTTP
       if (!v) return expect("\"1.0\", \"1.1\", \"2\" or \"3\"");
       b.e.job.spec.http_version = *v;
       return std::nullopt;
     }},
    {"AddressFamily",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       std::string v = s ? to_lower(*s) : "";
       if (v == "any")
         b.e.job.spec.ip_family = IpFamily::any;
       else if (v == "ipv4")
         b.e.job.spec.ip_family = IpFamily::v4;
       else if (v == "ipv6")
         b.e.job.spec.ip_family = IpFamily::v6;
       else
         return expect("\"any\", \"ipv4\" or \"ipv6\"");
       return std::nullopt;
     }},
    {"Proxy",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       if (auto p = set_string(i, b.e.job.spec.proxy, true)) return p;
       b.e.job.spec.proxy_from_env = false;  // an explicit choice, "" = none
       keep_secrets(b, "Proxy", userinfo_secrets(b.e.job.spec.proxy));
       return std::nullopt;
     },
     true},
    {"NoProxy",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_string(i, b.e.job.spec.noproxy); }},
    // The way out (SPEC 1.7): the probing host leaves from the address it stands for.
    {"SourceAddress",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       auto value = s ? source_address_interface(*s) : Expected<std::string>(Error{""});
       if (!value) return expect("an IPv4 or IPv6 address of this host in quotes");
       b.e.job.spec.interface = *value;
       return std::nullopt;
     }},
    {"Interface",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       auto value = s ? interface_interface(*s) : Expected<std::string>(Error{""});
       if (!value) return expect("a network interface name in quotes");
       b.e.job.spec.interface = *value;
       return std::nullopt;
     }},
    {"Timeout",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       double s = 0;
       if (auto p = set_seconds(i, s)) return p;
       b.e.job.spec.timeout_ms = std::max(1L, static_cast<long>(s * 1000));
       b.e.job.policy.timeout_seconds = s;
       b.timeout_set = true;
       return std::nullopt;
     }},
    {"ConnectTimeout",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       double s = 0;
       if (auto p = set_seconds(i, s)) return p;
       b.e.job.spec.connect_timeout_ms = std::max(1L, static_cast<long>(s * 1000));
       return std::nullopt;
     }},
    {"TimeoutState",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_state(i, b.e.job.policy.timeout_state); }},
    {"Interval",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_seconds(i, b.e.interval_s, 7 * 86400); }},
    // TLS
    {"VerifyPeer",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_bool(i, b.e.job.spec.verify_peer); }},
    {"VerifyHost",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_bool(i, b.e.job.spec.verify_host); }},
    {"CACert", [](EndpointBuilder& b, const oconfig_item_t& i) { return set_path(i, b.e.job.spec.ca_file); }},
    {"CAPath", [](EndpointBuilder& b, const oconfig_item_t& i) { return set_path(i, b.e.job.spec.ca_path); }},
    {"ClientCert",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_path(i, b.e.job.spec.client_cert); }},
    {"ClientKey",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_path(i, b.e.job.spec.client_key); }},
    {"CertificateExpiry",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       double w = 0, c = 0;
       if (auto p = set_days(i, w, c, 0)) return p;
       CertificateExpectation ce;
       ce.warn_days = static_cast<int>(w);
       ce.crit_days = static_cast<int>(c);
       ce.continue_after = true;  // the plugin always judges the answer too
       b.e.job.policy.certificate = ce;
       return std::nullopt;
     }},
    // Credentials: file names only; the secrets are read at each probe.
    {"BasicAuthFile", [](EndpointBuilder& b,
                         const oconfig_item_t& i) { return set_path(i, b.e.credentials.basic_auth_file); }},
    {"BearerTokenFile",
     [](EndpointBuilder& b, const oconfig_item_t& i) {
       return set_path(i, b.e.credentials.bearer_token_file);
     }},
    {"BearerTokenEnv",
     [](EndpointBuilder& b, const oconfig_item_t& i) {
       return set_string(i, b.e.credentials.bearer_token_env);
     }},
    {"HeaderFile",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_path(i, b.e.credentials.header_file); }},
    {"OAuth2TokenURL",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s || !valid_url(*s)) return expect("an absolute http:// or https:// URL in quotes");
       if (!b.oauth) b.oauth.emplace();
       b.oauth->token_url = *s;
       return std::nullopt;
     }},
    {"OAuth2ClientID",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       if (!b.oauth) b.oauth.emplace();
       return set_string(i, b.oauth->client_id);
     }},
    {"OAuth2ClientSecretFile",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       if (!b.oauth) b.oauth.emplace();
       return set_path(i, b.oauth->client_secret_file);
     }},
    {"OAuth2Scope",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       if (!b.oauth) b.oauth.emplace();
       return set_string(i, b.oauth->scope);
     }},
    {"TokenExpiry",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       TokenExpiry& t = b.e.job.policy.token_expiry;
       if (auto off = one_bool(i); off && !*off) {
         t.enabled = false;
         return std::nullopt;
       }
       if (set_days(i, t.warn_days, t.crit_days, 1.0 / 7))
         return expect("false, or one or two numbers of days (warning, critical)");
       t.enabled = true;
       return std::nullopt;
     }},
    {"CheckAuthEnforced",
     [](EndpointBuilder& b, const oconfig_item_t& i) {
       return set_bool(i, b.e.job.policy.check_auth_enforced);
     }},
    // Expectations
    {"ExpectStatus",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s) return expect("a list of status codes in quotes, e.g. \"200-299,401\"");
       auto set = parse_status_set(*s);
       if (!set)
         return expect("a list of status codes such as \"200-299,401\" or \"2xx,304\" (" + set.error() + ")");
       b.e.job.policy.expect_status = *set;
       return std::nullopt;
     }},
    {"StatusState",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s) return expect("per-status states in quotes, e.g. \"401=critical,4xx=warning\"");
       auto st = parse_status_states(*s);
       if (!st) return expect("per-status states such as \"401=critical,4xx=warning\" (" + st.error() + ")");
       b.e.job.policy.status_states = *st;
       return std::nullopt;
     }},
    {"ExpectString",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_string(i, b.e.job.policy.body_string); },
     false, false},
    {"ExpectHeader",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_string(i, b.e.job.policy.header_string); },
     false, false},
    {"ExpectRegex",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s || s->empty()) return expect("an extended regular expression in quotes");
       RegexExpectation rx;
       rx.pattern = *s;
       if (std::string why = regex_error(rx); !why.empty())
         return expect("an extended regular expression (" + why + ")");
       b.e.job.policy.regex = rx;
       return std::nullopt;
     },
     false, false},
    {"ResponseTimeWarning",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_range(i, b.e.job.policy.time.warning); }},
    {"ResponseTimeCritical",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_range(i, b.e.job.policy.time.critical); }},
    {"Health",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       if (auto on = one_bool(i)) {
         if (*on)
           b.e.job.policy.health = HealthFormat::auto_detect;
         else
           b.e.job.policy.health.reset();
         return std::nullopt;
       }
       auto s = one_string(i);
       auto f = s ? parse_health_format(*s) : std::nullopt;
       if (!f)
         return expect(
             "true, false or a format: \"auto\", \"health+json\", \"spring\", \"microprofile\", "
             "\"aspnet\", \"k8s\", \"terminus\", \"elasticsearch\", \"etcd\", \"consul\", \"vault\", "
             "\"text\" or \"generic\"");
       b.e.job.policy.health = *f;
       return std::nullopt;
     }},
    {"MaxBodySize",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       auto d = one_number(i);
       if (!d || *d < 0 || *d > 64.0 * 1024 * 1024 || *d != std::floor(*d))
         return expect("a number of bytes from 0 to 67108864");
       b.e.job.spec.max_body_bytes = static_cast<std::size_t>(*d);
       b.max_body_set = true;
       return std::nullopt;
     }},
    {"Values",
     [](EndpointBuilder& b, const oconfig_item_t& i) -> Check {
       auto unknown = [] {
         std::string all;
         for (const auto& n : value_names()) all += (all.empty() ? "\"" : ", \"") + n + "\"";
         return expect("one or more of " + all);
       };
       if (i.values_num < 1) return unknown();
       std::uint32_t chosen = 0;
       for (int k = 0; k < i.values_num; ++k) {
         auto name = string_at(i, k);
         auto index = name ? value_index(*name) : std::nullopt;
         if (!index) return unknown();
         chosen |= std::uint32_t{1} << *index;
       }
       b.e.values = chosen;
       return std::nullopt;
     }},
    // Change detection across restarts
    {"StateDir", [](EndpointBuilder& b, const oconfig_item_t& i) { return set_path(i, b.e.job.state.dir); }},
    {"StateKey",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_string(i, b.e.job.state.key); }},
    {"PersistState",
     [](EndpointBuilder& b, const oconfig_item_t& i) { return set_bool(i, b.e.job.state.enabled); }},
};

}  // namespace

const EndpointKey* find_endpoint_key(std::string_view name) {
  for (const auto& k : kEndpointKeys)
    if (iequals(k.name, name)) return &k;
  return nullptr;
}

std::string endpoint_key_suggestion(std::string_view key) {
  const EndpointKey* best = nullptr;
  std::size_t best_d = 3;
  for (const auto& k : kEndpointKeys) {
    std::size_t d = distance(key, k.name);
    if (d < best_d) best = &k, best_d = d;
  }
  return best ? " (did you mean " + std::string(best->name) + "?)" : "";
}

}  // namespace probewise
