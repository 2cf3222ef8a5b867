// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <regex.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>

#include "base/text.h"
#include "base/version.h"
#include "evidence/health.h"
#include "http/request.h"
#include "judge/range.h"
#include "judge/state.h"
#include "judge/status_list.h"
#include "output/redact.h"
#include "report.h"

namespace probewise {
namespace {

// collectd's DATA_MAX_NAME_LEN, less the terminating NUL: the longest
// plugin instance a value list can carry.
constexpr std::size_t kMaxNameLength = 127;
constexpr double kDefaultTimeoutSeconds = 10;

// What the user gave, for an error message. Values of keys that may carry
// secrets are described, never repeated.
std::string given(const oconfig_item_t& item, bool secret) {
  if (item.values_num == 0) return "nothing";
  if (item.values_num > 1) return std::to_string(item.values_num) + " values";
  const oconfig_value_t& v = item.values[0];
  switch (v.type) {
    case OCONFIG_TYPE_STRING: {
      if (secret) return "a string";
      return "\"" + ellipsize(redact_text(v.value.string ? v.value.string : ""), 60) + "\"";
    }
    case OCONFIG_TYPE_NUMBER: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", v.value.number);
      return buf;
    }
    case OCONFIG_TYPE_BOOLEAN: return v.value.boolean ? "true" : "false";
    default: return "a value of unknown type";
  }
}

// A key's failure: what it expected, in words. The caller adds where and what was given.
struct Problem {
  std::string expected;
  bool show_given = true;
};
using Check = std::optional<Problem>;

Check expect(std::string what) {
  return Problem{std::move(what), true};
}

std::optional<std::string> string_at(const oconfig_item_t& item, int i) {
  if (i >= item.values_num || item.values[i].type != OCONFIG_TYPE_STRING || !item.values[i].value.string)
    return std::nullopt;
  return std::string(item.values[i].value.string);
}

std::optional<std::string> one_string(const oconfig_item_t& item) {
  if (item.values_num != 1) return std::nullopt;
  return string_at(item, 0);
}

std::optional<double> number_at(const oconfig_item_t& item, int i) {
  if (i >= item.values_num || item.values[i].type != OCONFIG_TYPE_NUMBER) return std::nullopt;
  double d = item.values[i].value.number;
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

std::optional<double> one_number(const oconfig_item_t& item) {
  if (item.values_num != 1) return std::nullopt;
  return number_at(item, 0);
}

// A boolean, or the strings collectd's own cf_util_get_boolean accepts.
std::optional<bool> bool_at(const oconfig_item_t& item, int i) {
  if (i >= item.values_num) return std::nullopt;
  const oconfig_value_t& v = item.values[i];
  if (v.type == OCONFIG_TYPE_BOOLEAN) return v.value.boolean != 0;
  if (v.type == OCONFIG_TYPE_STRING && v.value.string) {
    std::string s = to_lower(v.value.string);
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  return std::nullopt;
}

std::optional<bool> one_bool(const oconfig_item_t& item) {
  if (item.values_num != 1) return std::nullopt;
  return bool_at(item, 0);
}

// Everything a block's keys set, with what the checks after the keys need.
struct Builder {
  EndpointConfig e;
  bool timeout_set = false;
  bool max_body_set = false;
  bool method_set = false;
  std::optional<OAuth2Config> oauth;  // collected key by key
};

// Setters: nullopt when the value is fine. One per key, in one table.
using Setter = Check (*)(Builder&, const oconfig_item_t&);

Check set_string(const oconfig_item_t& item, std::string& out, bool allow_empty = false) {
  auto s = one_string(item);
  if (!s || (!allow_empty && s->empty())) return expect(allow_empty ? "one string" : "one non-empty string");
  out = *s;
  return std::nullopt;
}

Check set_path(const oconfig_item_t& item, std::string& out) {
  auto s = one_string(item);
  if (!s || s->empty() || s->front() != '/') return expect("one absolute file name in quotes");
  out = *s;
  return std::nullopt;
}

Check set_seconds(const oconfig_item_t& item, double& out, double max = 86400) {
  auto d = one_number(item);
  if (!d || !(*d > 0) || *d > max)
    return expect("a number of seconds greater than 0 and at most " + std::to_string(static_cast<long>(max)));
  out = *d;
  return std::nullopt;
}

Check set_bool(const oconfig_item_t& item, bool& out) {
  auto b = one_bool(item);
  if (!b) return expect("true or false");
  out = *b;
  return std::nullopt;
}

Check set_state(const oconfig_item_t& item, State& out) {
  auto s = one_string(item);
  auto st = s ? parse_state(*s) : std::nullopt;
  if (!st) return expect("\"ok\", \"warning\", \"critical\" or \"unknown\"");
  out = *st;
  return std::nullopt;
}

Check set_range(const oconfig_item_t& item, std::optional<Range>& out) {
  std::string text;
  if (auto d = one_number(item)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", *d);
    text = buf;
  } else if (auto s = one_string(item)) {
    text = *s;
  } else {
    return expect("a number of seconds or a Nagios range such as \"0.5\" or \"~:2\"");
  }
  auto r = parse_range(text);
  if (!r) return expect("a number of seconds or a Nagios range (" + r.error() + ")");
  out = *r;
  return std::nullopt;
}

// WARN [CRIT] days, e.g. `TokenExpiry 7 1`, `CertificateExpiry 30 14`; a
// missing CRIT is WARN * crit_ratio (the check's defaults: 1/7 and 0).
Check set_days(const oconfig_item_t& item, double& warn, double& crit, double crit_ratio) {
  auto w = number_at(item, 0);
  auto c = item.values_num == 2 ? number_at(item, 1) : std::optional<double>(w ? *w * crit_ratio : 0);
  if (item.values_num < 1 || item.values_num > 2 || !w || !c || *w < 0 || *c < 0 || *w > 36500 || *c > 36500)
    return expect("one or two numbers of days (warning, critical)");
  warn = *w;
  crit = *c;
  return std::nullopt;
}

struct KeySpec {
  std::string_view name;
  Setter set;
  bool secret = false;  // never repeat the value in a message
};

// Every key of an <Endpoint> block. Names follow collectd's curl plugin
// where it has the same option (URL, Header, Post, VerifyPeer, ...).
const KeySpec kEndpointKeys[] = {
    // The request
    {"URL",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s || !valid_url(*s)) return expect("an absolute http:// or https:// URL in quotes");
       b.e.job.spec.url = *s;
       return std::nullopt;
     }},
    {"Address", [](Builder& b, const oconfig_item_t& i) { return set_string(i, b.e.job.spec.connect_host); }},
    {"Method",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s || s->empty() || s->find_first_of(" \t\r\n") != std::string::npos)
         return expect("an HTTP method such as \"GET\", \"HEAD\" or \"POST\"");
       b.e.job.spec.method = *s;
       b.method_set = true;
       return std::nullopt;
     }},
    {"Header",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s || s->find(':') == std::string::npos || s->front() == ':' ||
           s->find_first_of("\r\n") != std::string::npos)
         return Problem{"one \"Name: value\" header line", false};
       b.e.job.spec.headers.push_back(*s);
       return std::nullopt;
     },
     true},
    {"Post",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s) return Problem{"the request body as one string", false};
       b.e.job.spec.has_body = true;
       b.e.job.spec.body = *s;
       return std::nullopt;
     },
     true},
    {"ContentType",
     [](Builder& b, const oconfig_item_t& i) { return set_string(i, b.e.job.spec.content_type); }},
    {"UserAgent",
     [](Builder& b, const oconfig_item_t& i) { return set_string(i, b.e.job.spec.user_agent, true); }},
    {"NoBody", [](Builder& b, const oconfig_item_t& i) { return set_bool(i, b.e.job.spec.no_body); }},
    {"FollowRedirects",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       bool follow = false;
       if (auto p = set_bool(i, follow)) return p;
       b.e.job.spec.redirects = follow ? RedirectMode::curl : RedirectMode::none;
       return std::nullopt;
     }},
    {"MaxRedirects",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       auto d = one_number(i);
       if (!d || *d < 0 || *d > 1000 || *d != std::floor(*d)) return expect("a whole number from 0 to 1000");
       b.e.job.spec.max_redirects = static_cast<int>(*d);
       return std::nullopt;
     }},
    {"HTTPVersion",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       std::string v;
       if (auto d = one_number(i)) {
         char buf[16];
         std::snprintf(buf, sizeof buf, "%g", *d);
         v = buf;
       } else if (auto s = one_string(i)) {
         v = *s;
       }
       HttpVersion& out = b.e.job.spec.http_version;
       if (v == "1.0")
         out = HttpVersion::v1_0;
       else if (v == "1.1")
         out = HttpVersion::v1_1;
       else if (v == "2" || v == "2.0")
         out = HttpVersion::v2_tls;  // HTTP/2 over TLS, HTTP/1.1 over plain HTTP
       else if (v == "3")
         out = HttpVersion::v3;
       else
         return expect("\"1.0\", \"1.1\", \"2\" or \"3\"");
       return std::nullopt;
     }},
    {"AddressFamily",
     [](Builder& b, const oconfig_item_t& i) -> Check {
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
     [](Builder& b, const oconfig_item_t& i) -> Check {
       if (auto p = set_string(i, b.e.job.spec.proxy, true)) return p;
       b.e.job.spec.proxy_from_env = false;  // an explicit choice, "" = none
       return std::nullopt;
     },
     true},
    {"NoProxy", [](Builder& b, const oconfig_item_t& i) { return set_string(i, b.e.job.spec.noproxy); }},
    {"Timeout",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       double s = 0;
       if (auto p = set_seconds(i, s)) return p;
       b.e.job.spec.timeout_ms = std::max(1L, static_cast<long>(s * 1000));
       b.e.job.policy.timeout_seconds = s;
       b.timeout_set = true;
       return std::nullopt;
     }},
    {"ConnectTimeout",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       double s = 0;
       if (auto p = set_seconds(i, s)) return p;
       b.e.job.spec.connect_timeout_ms = std::max(1L, static_cast<long>(s * 1000));
       return std::nullopt;
     }},
    {"TimeoutState",
     [](Builder& b, const oconfig_item_t& i) { return set_state(i, b.e.job.policy.timeout_state); }},
    {"Interval",
     [](Builder& b, const oconfig_item_t& i) { return set_seconds(i, b.e.interval_s, 7 * 86400); }},
    // TLS
    {"VerifyPeer", [](Builder& b, const oconfig_item_t& i) { return set_bool(i, b.e.job.spec.verify_peer); }},
    {"VerifyHost", [](Builder& b, const oconfig_item_t& i) { return set_bool(i, b.e.job.spec.verify_host); }},
    {"CACert", [](Builder& b, const oconfig_item_t& i) { return set_path(i, b.e.job.spec.ca_file); }},
    {"CAPath", [](Builder& b, const oconfig_item_t& i) { return set_path(i, b.e.job.spec.ca_path); }},
    {"ClientCert", [](Builder& b, const oconfig_item_t& i) { return set_path(i, b.e.job.spec.client_cert); }},
    {"ClientKey", [](Builder& b, const oconfig_item_t& i) { return set_path(i, b.e.job.spec.client_key); }},
    {"CertificateExpiry",
     [](Builder& b, const oconfig_item_t& i) -> Check {
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
    {"BasicAuthFile",
     [](Builder& b, const oconfig_item_t& i) { return set_path(i, b.e.credentials.basic_auth_file); }},
    {"BearerTokenFile",
     [](Builder& b, const oconfig_item_t& i) { return set_path(i, b.e.credentials.bearer_token_file); }},
    {"BearerTokenEnv",
     [](Builder& b, const oconfig_item_t& i) { return set_string(i, b.e.credentials.bearer_token_env); }},
    {"HeaderFile",
     [](Builder& b, const oconfig_item_t& i) { return set_path(i, b.e.credentials.header_file); }},
    {"OAuth2TokenURL",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s || !valid_url(*s)) return expect("an absolute http:// or https:// URL in quotes");
       if (!b.oauth) b.oauth.emplace();
       b.oauth->token_url = *s;
       return std::nullopt;
     }},
    {"OAuth2ClientID",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       if (!b.oauth) b.oauth.emplace();
       return set_string(i, b.oauth->client_id);
     }},
    {"OAuth2ClientSecretFile",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       if (!b.oauth) b.oauth.emplace();
       return set_path(i, b.oauth->client_secret_file);
     }},
    {"OAuth2Scope",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       if (!b.oauth) b.oauth.emplace();
       return set_string(i, b.oauth->scope);
     }},
    {"TokenExpiry",
     [](Builder& b, const oconfig_item_t& i) -> Check {
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
     [](Builder& b, const oconfig_item_t& i) { return set_bool(i, b.e.job.policy.check_auth_enforced); }},
    // Expectations
    {"ExpectStatus",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s) return expect("a list of status codes in quotes, e.g. \"200-299,401\"");
       auto set = parse_status_set(*s);
       if (!set)
         return expect("a list of status codes such as \"200-299,401\" or \"2xx,304\" (" + set.error() + ")");
       b.e.job.policy.expect_status = *set;
       return std::nullopt;
     }},
    {"StatusState",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s) return expect("per-status states in quotes, e.g. \"401=critical,4xx=warning\"");
       auto st = parse_status_states(*s);
       if (!st) return expect("per-status states such as \"401=critical,4xx=warning\" (" + st.error() + ")");
       b.e.job.policy.status_states = *st;
       return std::nullopt;
     }},
    {"ExpectString",
     [](Builder& b, const oconfig_item_t& i) { return set_string(i, b.e.job.policy.body_string); }},
    {"ExpectHeader",
     [](Builder& b, const oconfig_item_t& i) { return set_string(i, b.e.job.policy.header_string); }},
    {"ExpectRegex",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       auto s = one_string(i);
       if (!s || s->empty()) return expect("an extended regular expression in quotes");
       regex_t re;
       if (int err = regcomp(&re, s->c_str(), REG_EXTENDED | REG_NOSUB | REG_NEWLINE); err != 0) {
         char msg[256];
         regerror(err, &re, msg, sizeof msg);
         return expect(std::string("an extended regular expression (") + msg + ")");
       }
       regfree(&re);
       RegexExpectation rx;
       rx.pattern = *s;
       b.e.job.policy.regex = rx;
       return std::nullopt;
     }},
    {"ResponseTimeWarning",
     [](Builder& b, const oconfig_item_t& i) { return set_range(i, b.e.job.policy.time.warning); }},
    {"ResponseTimeCritical",
     [](Builder& b, const oconfig_item_t& i) { return set_range(i, b.e.job.policy.time.critical); }},
    {"Health",
     [](Builder& b, const oconfig_item_t& i) -> Check {
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
             "\"aspnet\" or \"k8s\"");
       b.e.job.policy.health = *f;
       return std::nullopt;
     }},
    {"MaxBodySize",
     [](Builder& b, const oconfig_item_t& i) -> Check {
       auto d = one_number(i);
       if (!d || *d < 0 || *d > 64.0 * 1024 * 1024 || *d != std::floor(*d))
         return expect("a number of bytes from 0 to 67108864");
       b.e.job.spec.max_body_bytes = static_cast<std::size_t>(*d);
       b.max_body_set = true;
       return std::nullopt;
     }},
    {"Values",
     [](Builder& b, const oconfig_item_t& i) -> Check {
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
    {"StateDir", [](Builder& b, const oconfig_item_t& i) { return set_path(i, b.e.job.state.dir); }},
    {"StateKey", [](Builder& b, const oconfig_item_t& i) { return set_string(i, b.e.job.state.key); }},
    {"PersistState", [](Builder& b, const oconfig_item_t& i) { return set_bool(i, b.e.job.state.enabled); }},
};

const KeySpec* find_key(std::string_view name) {
  for (const auto& k : kEndpointKeys)
    if (iequals(k.name, name)) return &k;
  return nullptr;
}

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

std::string suggestion(std::string_view key) {
  const KeySpec* best = nullptr;
  std::size_t best_d = 3;
  for (const auto& k : kEndpointKeys) {
    std::size_t d = distance(key, k.name);
    if (d < best_d) best = &k, best_d = d;
  }
  return best ? " (did you mean " + std::string(best->name) + "?)" : "";
}

std::string key_of(const oconfig_item_t& item) {
  return item.key ? item.key : "";
}

std::string block_path(const std::string& endpoint) {
  return "<Plugin probewise>" + (endpoint.empty() ? "" : " <Endpoint \"" + endpoint + "\">");
}

// " (at /etc/collectd/collectd.conf:42)" when the line can be found.
std::string at(const ConfigLines* lines, const std::string& endpoint, const std::string& key) {
  if (!lines) return "";
  auto where = lines->find(endpoint, key);
  return where ? " (at " + *where + ")" : "";
}

std::string problem_text(const std::string& where, const oconfig_item_t& item, const Problem& p,
                         bool secret) {
  std::string text = where + ": " + key_of(item) + ": expected " + p.expected;
  if (p.show_given || !secret) text += ", got " + given(item, secret);
  return text;
}

// The endpoint's keys, then what only the whole block can tell.
std::optional<EndpointConfig> read_endpoint(const oconfig_item_t& block, const std::string& name,
                                            double default_interval_s, const std::string& default_state_dir,
                                            bool default_persist, const ConfigLines* lines,
                                            std::vector<std::string>& errors) {
  const std::string where = block_path(name);
  const std::size_t errors_before = errors.size();
  Builder b;
  b.e.name = name;
  b.e.interval_s = default_interval_s;
  RequestSpec& spec = b.e.job.spec;
  spec.user_agent = default_user_agent();
  // collectd's curl plugins verify by default; VerifyPeer false turns it off.
  spec.verify_peer = true;
  spec.verify_host = true;
  spec.max_body_bytes = kDefaultMaxBodyBytes;
  b.e.job.state.dir = default_state_dir;
  b.e.job.state.enabled = default_persist;

  for (int c = 0; c < block.children_num; ++c) {
    const oconfig_item_t& item = block.children[c];
    const std::string key = key_of(item);
    if (item.children_num > 0) {
      errors.push_back(where + ": <" + key + "> is not a block the plugin knows; expected a key such as URL" +
                       at(lines, name, "<" + key));
      continue;
    }
    const KeySpec* k = find_key(key);
    if (!k) {
      errors.push_back(where + ": unknown key \"" + key + "\"" + suggestion(key) + at(lines, name, key));
      continue;
    }
    if (auto problem = k->set(b, item))
      errors.push_back(problem_text(where, item, *problem, k->secret) + at(lines, name, key));
  }

  if (spec.url.empty())
    errors.push_back(where + ": URL: missing; every endpoint needs one" + at(lines, name, ""));
  if (b.oauth) {
    if (b.oauth->token_url.empty() || b.oauth->client_id.empty() || b.oauth->client_secret_file.empty())
      errors.push_back(where +
                       ": OAuth2TokenURL, OAuth2ClientID and OAuth2ClientSecretFile: expected all three "
                       "together (OAuth2Scope is optional)");
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
  b.e.job.policy.display_url = spec.url;

  if (errors.size() != errors_before) return std::nullopt;
  return std::move(b.e);
}

}  // namespace

std::string default_user_agent() {
  return "probewise/" PROBEWISE_VERSION " (collectd plugin)";
}

ConfigResult read_config(const oconfig_item_t& block, double default_interval_s,
                         const std::vector<std::string>& taken, const ConfigLines* lines) {
  ConfigResult out;
  const std::string where = block_path("");
  std::string state_dir;
  bool persist = true;

  // Plugin-wide keys first: they are the defaults of every endpoint.
  for (int c = 0; c < block.children_num; ++c) {
    const oconfig_item_t& item = block.children[c];
    const std::string key = key_of(item);
    if (iequals(key, "Endpoint")) continue;
    Check problem;
    if (iequals(key, "MaxConcurrency")) {
      auto d = one_number(item);
      if (!d || *d < 1 || *d > 100000 || *d != std::floor(*d))
        problem = expect("a whole number from 1 to 100000");
      else
        out.config.max_concurrency = static_cast<int>(*d);
    } else if (iequals(key, "MaxConnectionsPerHost")) {
      auto d = one_number(item);
      if (!d || *d < 0 || *d > 100000 || *d != std::floor(*d))
        problem = expect("a whole number from 0 (no limit) to 100000");
      else
        out.config.max_connections_per_host = static_cast<int>(*d);
    } else if (iequals(key, "StateDir")) {
      problem = set_path(item, state_dir);
    } else if (iequals(key, "PersistState")) {
      problem = set_bool(item, persist);
    } else {
      std::string hint = find_key(key) ? " (an endpoint key: put it inside <Endpoint \"name\">)" : "";
      out.errors.push_back(where + ": unknown key \"" + key + "\"" + hint +
                           "; expected MaxConcurrency, MaxConnectionsPerHost, StateDir, PersistState or "
                           "<Endpoint \"name\"> blocks" +
                           at(lines, "", key));
      continue;
    }
    if (problem) out.errors.push_back(problem_text(where, item, *problem, false) + at(lines, "", key));
  }

  std::vector<std::string> names = taken;
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
                           given(item, false) + "; the block is ignored");
      continue;
    }
    if (std::find(names.begin(), names.end(), *name) != names.end()) {
      out.errors.push_back(block_path(*name) +
                           ": the name is taken by an earlier <Endpoint>; expected each "
                           "endpoint to have its own name; the block is ignored");
      continue;
    }
    auto endpoint = read_endpoint(item, *name, default_interval_s, state_dir, persist, lines, out.errors);
    if (!endpoint) {
      out.errors.push_back(block_path(*name) + ": not probed because of the errors above");
      continue;
    }
    names.push_back(*name);
    out.config.endpoints.push_back(std::move(*endpoint));
  }
  if (blocks == 0) out.errors.push_back(where + ": no <Endpoint \"name\"> block; expected at least one");
  return out;
}

}  // namespace probewise
