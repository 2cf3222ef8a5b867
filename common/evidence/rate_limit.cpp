// SPDX-License-Identifier: GPL-2.0-or-later
#include "evidence/rate_limit.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <tuple>
#include <utility>

#include "base/text.h"
#include "http/http_date.h"

namespace probewise {
namespace {

constexpr std::size_t kMaxFieldInput = 4096;  // bytes of one header value read
constexpr std::size_t kMaxMembers = 32;       // list members of a structured field
constexpr std::size_t kMaxMemberParams = 16;
constexpr std::size_t kEvidenceChars = 120;
constexpr long long kEpochSeconds = 1'000'000'000;     // larger "reset" values are timestamps
constexpr long long kEpochMillis = 1'000'000'000'000;  // larger still: timestamps in ms
constexpr long long kMaxCount = 999'999'999'999'999;   // 15 digits: no overflow anywhere below

// ---- numbers and times ----

// A non-negative count, "12", "12.5" (rounded up: a retry is never early),
// and what follows is a list or parameter separator, or nothing.
std::optional<long long> parse_count(std::string_view s) {
  s = trim(s);
  std::size_t k = 0;
  long long n = 0;
  while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) {
    if (n > kMaxCount / 10) return std::nullopt;
    n = n * 10 + (s[k++] - '0');
  }
  if (k == 0) return std::nullopt;
  if (k < s.size() && s[k] == '.') {
    bool fraction = false;
    for (++k; k < s.size() && std::isdigit(static_cast<unsigned char>(s[k])); ++k) fraction |= s[k] != '0';
    if (fraction) ++n;
  }
  std::string_view rest = trim(s.substr(k));
  if (!rest.empty() && rest.front() != ',' && rest.front() != ';') return std::nullopt;
  return n;
}

long long seconds_until(long long when, std::time_t now) {
  return std::max(0LL, when - static_cast<long long>(now));
}

// A reset value: seconds from now, or a Unix timestamp (s or ms), or an HTTP-date.
std::optional<long long> parse_reset(std::string_view s, std::time_t now) {
  if (auto n = parse_count(s)) {
    if (*n > kEpochMillis) return seconds_until(*n / 1000, now);
    if (*n > kEpochSeconds) return seconds_until(*n, now);
    return *n;
  }
  if (auto date = parse_http_date(s)) return seconds_until(*date, now);
  return std::nullopt;
}

// Retry-After (RFC 9110 10.2.3): delta-seconds or an HTTP-date.
std::optional<long long> parse_retry_after(std::string_view s, std::time_t now) {
  if (auto n = parse_count(s)) return *n;
  if (auto date = parse_http_date(s)) return seconds_until(*date, now);
  return std::nullopt;
}

std::string evidence_line(std::string_view name, std::string_view value) {
  std::string line =
      std::string(name) + ": " + ellipsize(value.substr(0, kEvidenceChars + 1), kEvidenceChars);
  for (char& ch : line)
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = ' ';
  return line;
}

// ---- structured fields (RFC 8941 lists and dictionaries), read leniently ----

struct Member {
  std::string item;   // unquoted; for a dictionary member "limit=100" the key
  std::string value;  // a dictionary member's value, else ""
  bool is_dict = false;
  std::vector<std::pair<std::string, std::string>> params;
  std::optional<std::string_view> param(std::string_view name) const {
    for (const auto& [n, v] : params)
      if (n == name) return std::string_view(v);
    return std::nullopt;
  }
};

// Splits on sep outside quoted strings; items trimmed, empty ones dropped.
std::vector<std::string_view> split_unquoted(std::string_view s, char sep, std::size_t max_items) {
  std::vector<std::string_view> out;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t k = 0; k <= s.size() && out.size() < max_items; ++k) {
    if (k < s.size()) {
      if (quoted && s[k] == '\\') {
        ++k;
        continue;
      }
      if (s[k] == '"') quoted = !quoted;
      if (quoted || s[k] != sep) continue;
    }
    auto piece = trim(s.substr(start, k - start));
    if (!piece.empty()) out.push_back(piece);
    start = k + 1;
  }
  return out;
}

std::string unquote(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.front() != '"') return std::string(s);
  std::string out;
  for (std::size_t k = 1; k < s.size() && s[k] != '"'; ++k) {
    if (s[k] == '\\' && k + 1 < s.size()) ++k;
    out.push_back(s[k]);
  }
  return out;
}

std::pair<std::string, std::string> key_value(std::string_view s) {
  auto eq = s.find('=');
  if (eq == std::string_view::npos) return {to_lower(trim(s)), ""};
  return {to_lower(trim(s.substr(0, eq))), unquote(s.substr(eq + 1))};
}

std::vector<Member> parse_members(std::string_view value) {
  std::vector<Member> out;
  for (auto piece : split_unquoted(value.substr(0, kMaxFieldInput), ',', kMaxMembers)) {
    auto parts = split_unquoted(piece, ';', kMaxMemberParams + 1);
    if (parts.empty()) continue;
    Member m;
    if (parts[0].front() != '"' && parts[0].find('=') != std::string_view::npos) {
      std::tie(m.item, m.value) = key_value(parts[0]);
      m.is_dict = true;
    } else {
      m.item = unquote(parts[0]);
    }
    for (std::size_t k = 1; k < parts.size(); ++k) m.params.push_back(key_value(parts[k]));
    out.push_back(std::move(m));
  }
  return out;
}

// ---- the IETF fields ----

struct Policy {
  std::string name;
  std::optional<long long> quota, window;
};

std::vector<Policy> read_policies(std::string_view value) {
  std::vector<Policy> out;
  for (const auto& m : parse_members(value)) {
    Policy p;
    p.name = m.item;
    p.quota = m.param("q") ? parse_count(*m.param("q")) : parse_count(m.item);  // older drafts: "100;w=60"
    if (auto w = m.param("w")) p.window = parse_count(*w);
    out.push_back(std::move(p));
  }
  return out;
}

struct Current {
  std::string name;
  std::optional<long long> limit, remaining, reset;
};

// RateLimit: "default";r=0;t=30 (draft 08 on), or limit=100, remaining=0,
// reset=50 (drafts 06-07, a dictionary): one entry per policy named.
std::vector<Current> read_current(std::string_view value, std::time_t now) {
  std::vector<Current> out;
  Current dict;
  bool any_dict = false;
  for (const auto& m : parse_members(value)) {
    if (m.is_dict) {
      any_dict = true;
      if (m.item == "limit") dict.limit = parse_count(m.value);
      if (m.item == "remaining") dict.remaining = parse_count(m.value);
      if (m.item == "reset") dict.reset = parse_reset(m.value, now);
      continue;
    }
    Current c;
    c.name = m.item;
    if (auto r = m.param("r")) c.remaining = parse_count(*r);
    if (auto t = m.param("t")) c.reset = parse_reset(*t, now);
    out.push_back(std::move(c));
  }
  if (any_dict) out.push_back(std::move(dict));
  return out;
}

// The most constraining: the fewest requests left, then the longest wait.
bool more_constraining(const Current& a, const Current& b) {
  long long ra = a.remaining.value_or(kMaxCount), rb = b.remaining.value_or(kMaxCount);
  if (ra != rb) return ra < rb;
  return a.reset.value_or(0) > b.reset.value_or(0);
}

const Policy* policy_for(const Current& c, const std::vector<Policy>& policies) {
  for (const auto& p : policies)
    if (!c.name.empty() && p.name == c.name) return &p;
  for (const auto& p : policies)
    if (c.limit && p.quota == c.limit) return &p;
  return policies.size() == 1 ? &policies.front() : nullptr;
}

// Without a RateLimit field, the policy that allows the fewest requests per second.
const Policy* tightest_policy(const std::vector<Policy>& policies) {
  const Policy* best = nullptr;
  for (const auto& p : policies) {
    if (!p.quota) continue;
    double rate = static_cast<double>(*p.quota) / static_cast<double>(std::max(1LL, p.window.value_or(1)));
    if (!best || rate < static_cast<double>(*best->quota) /
                            static_cast<double>(std::max(1LL, best->window.value_or(1))))
      best = &p;
  }
  return best;
}

// The RateLimit field: fills what it tells and returns the policy entry chosen.
std::optional<Current> read_current_field(const HeaderMap& headers, std::time_t now, RateLimit& out) {
  auto value = headers.get("RateLimit");
  if (!value) return std::nullopt;
  std::vector<Current> current = read_current(*value, now);
  if (current.empty()) return std::nullopt;
  Current c = *std::min_element(current.begin(), current.end(), more_constraining);
  out.remaining = c.remaining;
  out.reset_seconds = c.reset;
  out.limit = c.limit;
  if (c.remaining || c.reset || c.limit) out.evidence.push_back(evidence_line("RateLimit", *value));
  return c;
}

// RateLimit-Policy: the window (and the quota, when nothing else said the
// limit) of the policy that the other fields speak of.
void read_policy_field(const HeaderMap& headers, const std::optional<Current>& chosen, RateLimit& out) {
  auto value = headers.get("RateLimit-Policy");
  if (!value) return;
  std::vector<Policy> policies = read_policies(*value);
  const Policy* policy = nullptr;
  if (chosen) {
    policy = policy_for(*chosen, policies);
  } else {
    // Drafts up to 06: RateLimit-Limit names the policy closest to its limit.
    Current legacy;
    legacy.limit = out.limit;
    policy = legacy.limit ? policy_for(legacy, policies) : nullptr;
    if (!policy) policy = tightest_policy(policies);
  }
  if (!policy || !(policy->quota || policy->window)) return;
  if (!out.limit) out.limit = policy->quota;
  out.window_seconds = policy->window;
  out.evidence.push_back(evidence_line("RateLimit-Policy", *value));
}

// ---- the one-value headers ----

enum class Kind { count, reset };

struct SimpleHeader {
  std::string_view name;
  std::optional<long long> RateLimit::*field;
  Kind kind;
};

// In order of precedence: a field already known is not overwritten.
constexpr std::array<SimpleHeader, 11> kSimpleHeaders{{
    // draft-ietf-httpapi-ratelimit-headers up to 06
    {"RateLimit-Limit", &RateLimit::limit, Kind::count},
    {"RateLimit-Remaining", &RateLimit::remaining, Kind::count},
    {"RateLimit-Reset", &RateLimit::reset_seconds, Kind::reset},
    // GitHub, GitLab, Discord (Reset-After), and many more
    {"X-RateLimit-Limit", &RateLimit::limit, Kind::count},
    {"X-RateLimit-Remaining", &RateLimit::remaining, Kind::count},
    {"X-RateLimit-Reset-After", &RateLimit::reset_seconds, Kind::reset},
    {"X-RateLimit-Reset", &RateLimit::reset_seconds, Kind::reset},
    // Twitter/X and others
    {"X-Rate-Limit-Limit", &RateLimit::limit, Kind::count},
    {"X-Rate-Limit-Remaining", &RateLimit::remaining, Kind::count},
    {"X-Rate-Limit-Reset", &RateLimit::reset_seconds, Kind::reset},
    {"X-Rate-Limit-Reset-After", &RateLimit::reset_seconds, Kind::reset},
}};

// ---- words ----

std::string duration_words(long long s) {
  if (s < 120) return std::to_string(s) + " s";
  if (s < 2 * 3600) return std::to_string((s + 59) / 60) + " min";
  if (s < 2 * 86400) return std::to_string((s + 1799) / 3600) + " h";
  return std::to_string((s + 43199) / 86400) + " days";
}

std::string describe(const RateLimit& l) {
  std::vector<std::string> parts;
  if (l.remaining == 0) {
    std::string what = l.limit ? "limit " + std::to_string(*l.limit) : "rate limit";
    if (l.limit && l.window_seconds) what += " per " + duration_words(*l.window_seconds);
    parts.push_back(what + " exhausted");
  }
  if (l.retry_after_seconds) {
    parts.push_back("retry in " + duration_words(*l.retry_after_seconds));
  } else if (l.reset_seconds) {
    parts.push_back("resets in " + duration_words(*l.reset_seconds));
  }
  if (parts.empty()) return "the server is limiting the request rate";
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace

bool RateLimit::present() const {
  return limit || remaining || reset_seconds || retry_after_seconds || window_seconds;
}

bool RateLimit::exhausted() const {
  return remaining == 0 || retry_after_seconds.has_value();
}

std::optional<long long> RateLimit::retry_in() const {
  return retry_after_seconds ? retry_after_seconds : reset_seconds;
}

RateLimit parse_rate_limit(const HeaderMap& headers, std::time_t now) {
  RateLimit out;
  if (auto v = headers.get("Retry-After")) {
    out.retry_after_seconds = parse_retry_after(v->substr(0, kMaxFieldInput), now);
    if (out.retry_after_seconds) out.evidence.push_back(evidence_line("Retry-After", *v));
  }
  std::optional<Current> chosen = read_current_field(headers, now, out);
  for (const auto& h : kSimpleHeaders) {
    if (out.*h.field) continue;
    auto v = headers.get(h.name);
    if (!v) continue;
    std::string_view text = v->substr(0, kMaxFieldInput);
    out.*h.field = h.kind == Kind::count ? parse_count(text) : parse_reset(text, now);
    if (out.*h.field) out.evidence.push_back(evidence_line(h.name, *v));
  }
  read_policy_field(headers, chosen, out);
  return out;
}

Signals rate_limit_signals(const RateLimit& limit, int status) {
  std::string evidence;
  for (const auto& e : limit.evidence) evidence += (evidence.empty() ? "" : "; ") + e;
  // Retry-After alone does not make a rate limit (SPEC 1.3): caches and
  // proxies put it on every answer they make, maintenance pages on their
  // 503. It is a detail of the denial, shown; rate-limit headers or words
  // (the phrases of evidence/wording.h) make it one.
  const bool rate_headers = limit.limit || limit.remaining || limit.reset_seconds || limit.window_seconds;
  Strength strength;
  if (status == 429 || ((status == 403 || status == 503) && limit.remaining == 0)) {
    strength = Strength::explicit_;
  } else if ((status == 403 || status == 503) && rate_headers && limit.exhausted()) {
    strength = Strength::wording;
  } else if ((status == 403 || status == 503) && limit.retry_after_seconds) {
    return {{"throttled", Strength::presence, "a Retry-After without a rate limit: a detail of the answer",
             evidence + " (no rate-limit header or words: a detail of the answer)", ""}};
  } else {
    return {};
  }
  if (evidence.empty()) evidence = "HTTP " + std::to_string(status) + " without rate-limit headers";
  return {{"throttled", strength, describe(limit), evidence, ""}};
}

}  // namespace probewise
