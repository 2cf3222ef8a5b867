// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/diagnose.h"

#include <algorithm>
#include <array>

#include "base/text.h"
#include "evidence/auth_challenge.h"
#include "evidence/error_body.h"
#include "evidence/proxy_answer.h"
#include "evidence/rate_limit.h"
#include "evidence/vendor_fingerprints.h"
#include "evidence/wording.h"
#include "judge/reason.h"
#include "memory/change.h"

namespace probewise {
namespace {

// Which reasons each kind of answer can have, in the order that breaks ties
// between equally strong signals (most specific first). The first rule that
// covers a status applies.
struct StatusRule {
  int low, high;
  std::vector<std::string_view> reasons;
  std::vector<std::string_view> explicit_only;  // reasons that need an explicit signal here
};

const std::vector<std::string_view> kAllDenials{"throttled",
                                                "forbidden.geo",
                                                "forbidden.ip",
                                                "forbidden.waf",
                                                "auth.expired_credentials",
                                                "auth.invalid_credentials",
                                                "auth.malformed_credentials",
                                                "forbidden.permission",
                                                "auth.missing_credentials",
                                                "auth.service_unavailable"};

std::vector<std::string_view> with(std::vector<std::string_view> list, std::string_view more) {
  list.push_back(more);
  return list;
}

const std::vector<StatusRule>& status_rules() {
  static const std::vector<StatusRule> rules{
      {407, 407, {"auth.proxy_required"}, {}},
      {429, 429, {"throttled"}, {}},
      {401,
       401,
       {"throttled", "auth.expired_credentials", "auth.malformed_credentials", "auth.service_unavailable",
        "forbidden.permission", "auth.invalid_credentials", "auth.missing_credentials"},
       {}},
      // forbidden.unspecified last: only a proxy's own "access denied" names it.
      {403, 403, with(kAllDenials, "forbidden.unspecified"), {}},
      // 400 (AWS and OAuth errors), 405/406 (WAF rules), 451 (geo): only
      // when the answer says so.
      {400, 499, kAllDenials, {}},
      // A geo or address rule behind a 5xx must be explicit. A Retry-After
      // alone is no rate limit (rate_limit.cpp): a 503 with one is
      // maintenance more often than a quota; words or headers that say so are.
      {500, 599, kAllDenials, {"forbidden.geo", "forbidden.ip"}},
      // APIs that answer 200 with an error object (Slack's ok:false, GraphQL
      // errors with extensions.code): the body reader reads nothing else on a 2xx.
      {200, 299, kAllDenials, {}},
  };
  return rules;
}

const StatusRule* rule_for(int status) {
  for (const auto& r : status_rules())
    if (status >= r.low && status <= r.high) return &r;
  return nullptr;
}

// When no signal decides: what the status and what was sent make likely
// (RFC 9110 15.5.2, 15.5.4: a 401 asks for credentials; a 403 to a request
// that carried some says they do not grant access). `likely` lists the
// causes in order of likelihood, for the hints; the reason is the first,
// or `reason` when the cause is unknown. "{sent}" / "{was}" name what was sent.
struct Guess {
  int status;
  bool sent;
  std::string_view reason;
  std::vector<std::string_view> likely;
  std::string_view detail;  // "" keeps check_curl's status line
};

const std::vector<Guess>& guesses() {
  static const std::vector<Guess> table{
      {407, true, "auth.proxy_required", {"auth.proxy_required"}, ""},
      {407, false, "auth.proxy_required", {"auth.proxy_required"}, ""},
      {429, true, "throttled", {"throttled"}, ""},
      {429, false, "throttled", {"throttled"}, ""},
      // Servers also answer 401 to credentials that are valid but not
      // allowed (Apache httpd without AuthzSendForbiddenOnFailure).
      {401,
       true,
       "auth.invalid_credentials",
       {"auth.invalid_credentials", "forbidden.permission", "auth.expired_credentials"},
       "the {kind} {was} sent and rejected without a reason given"},
      {401, false, "auth.missing_credentials", {"auth.missing_credentials"}, ""},
      {403,
       true,
       "forbidden.permission",
       {"forbidden.permission", "forbidden.ip", "forbidden.waf"},
       "{sent} {was} sent and the server refused without naming a reason"},
      {403,
       false,
       "forbidden.unspecified",
       {"forbidden.ip", "forbidden.waf", "auth.missing_credentials"},
       ""},
  };
  return table;
}

const Guess* guess_for(int status, bool sent) {
  for (const auto& g : guesses())
    if (g.status == status && g.sent == sent) return &g;
  return nullptr;
}

std::string fill_sent(std::string_view tmpl, const SentAuth& sent) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size();) {
    if (tmpl.substr(i, 6) == "{sent}") {
      out += sent_phrase(sent);
      i += 6;
    } else if (tmpl.substr(i, 6) == "{kind}") {
      out += sent.kind;
      i += 6;
    } else if (tmpl.substr(i, 5) == "{was}") {
      out += sent_verb(sent);
      i += 5;
    } else {
      out += tmpl[i++];
    }
  }
  return out;
}

std::string ago(long long seconds) {
  return format_duration(seconds) + " ago";
}

// A 401 whose challenges all name another scheme than the one sent (a
// Bearer token to an API that asks for "Token"): the form is wrong, not the
// secret. The schemes the server asks for, or nullopt.
std::optional<std::string> other_scheme_asked(const ProbeResult& r, const SentAuth& sent) {
  if (r.status != 401 || sent.scheme.empty()) return std::nullopt;
  std::string asked;
  for (auto value : r.headers.all("WWW-Authenticate")) {
    for (const auto& c : parse_challenges(value)) {
      if (iequals(c.scheme, sent.scheme)) return std::nullopt;
      if (!c.scheme.empty() && asked.find(c.scheme) == std::string::npos)
        asked += (asked.empty() ? "" : " or ") + c.scheme;
    }
  }
  if (asked.empty()) return std::nullopt;
  return asked;
}

Signals own_signals(const ProbeResult& r, const SentAuth& sent, std::time_t now) {
  Signals out;
  // The credentials stayed with their origin at a redirect (SPEC 1.6): the
  // check knows why the final request carried none, on a 401 and a 403 alike.
  if (!r.credentials_withheld.empty() && (r.status == 401 || r.status == 403)) {
    out.push_back(
        {"auth.missing_credentials", Strength::explicit_,
         "credentials were not forwarded to " + r.credentials_withheld + " after the redirect",
         "sent: no credentials to " + r.credentials_withheld + ": they go only to the origin of " + r.url, "",
         true});
    return out;
  }
  // On a 401 nothing beats knowing that nothing was sent; on a 403 it is
  // only context: the answer itself must show that credentials are wanted.
  if (!sent.sent && (r.status == 401 || r.status == 403)) {
    out.push_back({"auth.missing_credentials", r.status == 401 ? Strength::explicit_ : Strength::presence,
                   "the request carried no credentials",
                   sent.proxy_sent
                       ? "sent: no credentials for the target (proxy credentials went to the proxy)"
                       : "sent: no credentials",
                   "", true});
  }
  if (sent.expires_at && *sent.expires_at <= now) {
    out.push_back({"auth.expired_credentials", Strength::explicit_,
                   "the " + sent.kind + " expired " + ago(now - *sent.expires_at),
                   "sent: " + sent_phrase(sent) + " whose exp is " + format_utc_minute(*sent.expires_at), "",
                   true});
  }
  if (auto other = other_scheme_asked(r, sent)) {
    out.push_back({"auth.malformed_credentials", Strength::wording,
                   "the server asks for the " + *other + " scheme, the check sent " + sent.scheme,
                   "sent: the " + sent.scheme + " scheme; the server asks for " + *other, "", true});
  }
  if (sent.sent && !sent.form_problem.empty()) {
    // A value without a scheme breaks RFC 9110, but some servers take a bare
    // token (etcd's gateway): what the server says of it weighs more.
    const Strength form = sent.kind == "Authorization header" ? Strength::wording : Strength::explicit_;
    out.push_back(
        {"auth.malformed_credentials", form, sent.form_problem, "sent: " + sent.form_problem, "", true});
  }
  return out;
}

// The one precedence of SPEC 1.3: the server's explicit words, then its
// wording, then what the check knows itself (local), then words that only
// restate the status ("unauthorized", "login failed", a bare invalid_token);
// markers of who is in the path never decide, and the status alone is the
// guess when nothing else does. Among local facts, what the check knows for
// certain (nothing was sent, the token's exp has passed) stands above the
// server's wording; what it infers (the scheme the challenge names, the
// form of a header) stands below it.
int precedence(const Signal& s) {
  if (s.strength == Strength::presence) return -1;
  if (s.local) return s.strength == Strength::explicit_ ? 45 : 30;
  if (s.restates) return 20;
  return s.strength == Strength::explicit_ ? 50 : 40;
}

int rank(const Signal& s, const StatusRule& rule) {
  auto it = std::find(rule.reasons.begin(), rule.reasons.end(), s.reason);
  if (it == rule.reasons.end() || precedence(s) < 0) return -1;
  if (s.strength != Strength::explicit_ &&
      std::find(rule.explicit_only.begin(), rule.explicit_only.end(), s.reason) != rule.explicit_only.end())
    return -1;
  // Precedence first, then the rule's order.
  return precedence(s) * 100 + static_cast<int>(rule.reasons.end() - it);
}

void add_unique(std::vector<std::string>& list, const std::string& item) {
  if (!item.empty() && std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

}  // namespace

Signals gather_signals(const ProbeResult& r, const SentAuth& sent, std::time_t now) {
  Signals all = own_signals(r, sent, now);
  auto append = [&](Signals more) { all.insert(all.end(), more.begin(), more.end()); };
  append(challenge_signals(r.headers, r.status));
  RateLimit limit = parse_rate_limit(r.headers, now);
  append(rate_limit_signals(limit, r.status));
  append(vendor_signals(r.headers, r.body, r.status));
  append(proxy_signals(r.headers, r.status));
  append(error_body_signals(r.headers, r.body, r.status));
  append(source_address_signals(r.body, r.status, r.local_ip));
  // A 2xx is never turned into a warning by a guess about the credentials'
  // form (SPEC 1.3): the server accepted them.
  if (r.status >= 200 && r.status <= 299)
    all.erase(std::remove_if(all.begin(), all.end(), [](const Signal& s) { return s.local; }), all.end());
  return all;
}

namespace {

// Reads the signals in the light of what was sent. Credentials that were
// never sent cannot be expired, invalid or malformed. When the check sent
// credentials but the server speaks as if it saw none, the form or the path
// of the header is the more likely fault; a bare challenge is no such
// evidence (servers send one for any failure), so the claim is weakened by
// one step.
void weigh_by_sent(Signals& signals, const SentAuth& sent) {
  // A proxy's own answer is about the proxy credentials, not the target's.
  const bool proxy_answer =
      std::any_of(signals.begin(), signals.end(), [](const Signal& s) { return !s.by.empty(); });
  if (proxy_answer) {
    signals.erase(std::remove_if(signals.begin(), signals.end(), [](const Signal& s) { return s.local; }),
                  signals.end());
    for (auto& s : signals)
      if (!s.by.empty() && s.reason == "forbidden.permission" && !sent.proxy_sent)
        s.reason = "forbidden.unspecified";
  }
  for (auto& s : signals)
    if (s.reason == "auth.proxy_required" && sent.proxy_sent)
      s.detail = "the proxy refused the proxy credentials that were sent";
  if (proxy_answer) return;
  const bool answer_401 = std::any_of(signals.begin(), signals.end(), [](const Signal& s) {
    return s.local && s.reason == "auth.missing_credentials" && s.strength == Strength::explicit_;
  });
  for (auto& s : signals) {
    // Claims about credentials that never went out: no claim at all. So is a
    // permission named on a 401 to an anonymous request.
    if (!sent.sent && !s.local &&
        (s.reason == "auth.expired_credentials" || s.reason == "auth.invalid_credentials" ||
         s.reason == "auth.malformed_credentials" || (answer_401 && s.reason == "forbidden.permission")))
      s.strength = Strength::presence;
    if (sent.sent && !s.if_sent.empty()) {
      s.reason = s.if_sent;  // the words' reading when credentials were sent ("CSRF" with a key: not taken)
      continue;
    }
    if (sent.sent && s.reason == "auth.missing_credentials") {
      s.reason = "auth.malformed_credentials";
      s.strength = s.strength == Strength::explicit_ ? Strength::wording : Strength::presence;
      s.detail = "the server saw no credentials although " + sent_phrase(sent) + " " +
                 std::string(sent_verb(sent)) + " sent";
    }
  }
}

// The signal the diagnosis rests on. A local fact that agrees with the
// server's words is the more exact of the two ("the token expired 2 days
// ago" beside "jwt expired"): it leads.
const Signal* strongest(const Signals& signals, const StatusRule& rule) {
  const Signal* best = nullptr;
  int best_rank = -1;
  for (const auto& s : signals) {
    int k = rank(s, rule);
    if (k > best_rank) best = &s, best_rank = k;
  }
  if (!best || best->local) return best;
  for (const auto& s : signals)
    if (s.local && s.reason == best->reason && s.strength >= best->strength && rank(s, rule) >= 0) return &s;
  return best;
}

// A block page in one vendor's template that names its product in its own
// words: the product the page names is said too.
void name_page_product(Diagnosis& d, const Signals& signals) {
  if (d.reason != "forbidden.waf") return;
  for (const auto& s : signals) {
    if (s.reason != "forbidden.waf" || s.vendor.empty() || s.vendor == d.vendor || s.local ||
        s.strength == Strength::presence)
      continue;
    if (d.vendor.empty()) d.vendor = s.vendor;
    if (d.detail.find(s.vendor) == std::string::npos) d.detail += " (the page names " + s.vendor + ")";
    return;
  }
}

// Local facts that disagree with the server's words stand beside them (SPEC 1.3).
void add_disagreements(Diagnosis& d, const Signals& signals, const Signal& best, const StatusRule& rule) {
  if (best.local) return;
  for (const auto& s : signals) {
    if (!s.local || s.reason == best.reason || rank(s, rule) < 0) continue;
    const ReasonInfo* info = find_reason(s.reason);
    d.hints.push_back("The check's own facts say otherwise: " + s.detail + " (" +
                      (info ? std::string(info->label) : s.reason) +
                      "); the server's own words were taken first.");
  }
}

// A guess rests on the status, or on markers of who is in the path when
// the answer has some.
Basis guess_basis(const Signals& signals) {
  bool present = std::any_of(signals.begin(), signals.end(), [](const Signal& s) {
    return s.strength == Strength::presence && !s.vendor.empty();
  });
  return present ? Basis::presence : Basis::status;
}

// What the markers of who is in the path tell, when a server's own default
// page says where the refusal came from ("nginx refused with its own default
// page ..."): the first place to look.
std::vector<std::string> presence_hints(const Signals& signals) {
  std::vector<std::string> out;
  for (const auto& s : signals)
    if (s.strength == Strength::presence && !s.vendor.empty() && s.detail != s.vendor + " is in the path")
      add_unique(out, s.detail + ".");
  return out;
}

// The first hint of each likely cause, most likely first.
std::vector<std::string> likely_hints(const Guess& g) {
  std::vector<std::string> out;
  for (auto reason : g.likely)
    if (const ReasonInfo* info = find_reason(reason); info && !info->hints.empty())
      add_unique(out, std::string(info->hints.front()));
  return out;
}

// What was sent, once: for a proxy's own answer, the proxy credentials.
void add_sent_evidence(Diagnosis& d, const SentAuth& sent) {
  if (!d.by.empty()) {
    add_unique(d.evidence, sent.proxy_sent ? "sent: proxy credentials" : "sent: no proxy credentials");
    return;
  }
  const bool told = std::any_of(d.evidence.begin(), d.evidence.end(),
                                [](const std::string& e) { return e.rfind("sent: ", 0) == 0; });
  if (sent.sent && !told) add_unique(d.evidence, "sent: " + sent_phrase(sent) + (sent.jwt ? " (a JWT)" : ""));
}

void add_specific_hints(Diagnosis& d, const ProbeResult& r, const SentAuth& sent, std::time_t now) {
  if (d.reason == "throttled") {
    d.retry_in = parse_rate_limit(r.headers, now).retry_in();
    if (d.retry_in) d.hints.push_back("Retry after " + format_duration(*d.retry_in) + ".");
  }
  if (d.reason == "forbidden.ip" && !r.local_ip.empty())
    d.hints.push_back("The check connected from " + r.local_ip +
                      ": allowlist that address, or the address its traffic leaves by (NAT, proxy).");
  if (d.reason == "forbidden.waf" && !d.vendor.empty())
    d.hints.push_back("Ask the owner of the site to look the request up in " + d.vendor +
                      "'s security events (the evidence has its reference).");
  if (!d.by.empty())
    d.hints.push_back("The refusal came from " + d.by +
                      " between the monitor and the target, not from the target: check the proxy's access "
                      "rules for the monitor's proxy user, source address and destination.");
  if (d.reason == "auth.malformed_credentials" && sent.sent)
    d.hints.push_back(
        "Check the header name and scheme, and any proxy that strips or rewrites Authorization.");
  if (d.reason == "auth.missing_credentials" && !r.credentials_withheld.empty())
    d.hints.push_back("Point -u (collectd: URL) at the final URL (" + r.effective_url +
                      "), or configure the credentials for " + r.credentials_withheld +
                      ": they are sent only to the origin they are configured for.");
}

// What the final request carried: after a redirect to another origin, none
// of the configured credentials (proxy credentials still went to the proxy).
SentAuth sent_to_final(const ProbeResult& r, const SentAuth& configured) {
  if (r.credentials_withheld.empty()) return configured;
  SentAuth none;
  none.proxy_sent = configured.proxy_sent;
  return none;
}

}  // namespace

std::optional<Diagnosis> diagnose(const ProbeResult& r, const SentAuth& configured, std::time_t now) {
  const StatusRule* rule = rule_for(r.status);
  if (!rule) return std::nullopt;
  const SentAuth sent = sent_to_final(r, configured);
  Signals signals = gather_signals(r, sent, now);
  weigh_by_sent(signals, sent);
  const Signal* best = strongest(signals, *rule);
  const Guess* guess = best ? nullptr : guess_for(r.status, sent.sent);
  if (!best && !guess) return std::nullopt;

  Diagnosis d;
  if (best) {
    d.reason = best->reason;
    d.detail = best->detail;
    d.vendor = best->vendor;
    d.basis = basis_of(*best);
    add_unique(d.evidence, best->evidence);
    add_disagreements(d, signals, *best, *rule);
    name_page_product(d, signals);
  } else {
    d.reason = std::string(guess->reason);
    d.detail = fill_sent(guess->detail, sent);
    d.basis = guess_basis(signals);
    d.hints = presence_hints(signals);
    for (auto& h : likely_hints(*guess)) add_unique(d.hints, h);
  }
  for (const auto& s : signals) add_unique(d.evidence, s.evidence);
  d.by = best ? best->by : "";
  add_sent_evidence(d, sent);
  add_specific_hints(d, r, sent, now);
  if ((d.reason == "forbidden.waf" || d.reason == "forbidden.unspecified" || is_guess(d.basis)) &&
      !r.user_agent.empty())
    add_unique(d.evidence, "User-Agent sent: " + r.user_agent);
  return d;
}

}  // namespace probewise
