// SPDX-License-Identifier: GPL-2.0-or-later
#include "compare/vantages.h"

#include <algorithm>

#include "base/text.h"
#include "judge/reason.h"

namespace probewise {
namespace {

// What a vantage's failure says about where the problem is.
enum class Kind {
  ok,      // judged OK
  denied,  // refused by a rule: 403, 451, 429, forbidden.*, throttled
  auth,    // the credentials: auth.*
  path,    // no answer: net.*, a TLS handshake or trust failure
  other,   // any other finding (5xx, content, slow, ...)
};

Kind kind_of(const VantageSeen& v) {
  if (v.state == State::ok) return Kind::ok;
  if (starts_with(v.reason, "auth.")) return Kind::auth;
  if (starts_with(v.reason, "net.") || v.reason == "tls.handshake" || v.reason == "tls.untrusted")
    return Kind::path;
  if (starts_with(v.reason, "forbidden.") || v.reason == "throttled" || v.status == 403 || v.status == 451 ||
      v.status == 429)
    return Kind::denied;
  return Kind::other;
}

// Ties between equally bad groups go to the one that explains most.
int kind_rank(Kind k) {
  switch (k) {
    case Kind::denied: return 0;
    case Kind::auth: return 1;
    case Kind::other: return 2;
    case Kind::path: return 3;
    case Kind::ok: return 4;
  }
  return 4;
}

int strength(Basis b) {
  switch (b) {
    case Basis::explicit_: return 5;
    case Basis::wording: return 4;
    case Basis::local: return 3;
    case Basis::presence: return 2;
    case Basis::status: return 1;
    case Basis::comparison: return 0;
  }
  return 0;
}

// Reasons the denied answers' own evidence can name (SPEC 1.7).
bool regional_reason(const std::string& reason) {
  return reason == "forbidden.ip" || reason == "forbidden.geo" || reason == "forbidden.waf" ||
         reason == "throttled";
}

using Members = std::vector<const VantageSeen*>;

std::vector<std::string> names_of(const Members& members) {
  std::vector<std::string> names;
  names.reserve(members.size());
  for (const auto* v : members) names.push_back(v->name);
  return names;
}

// "(403)", "(403, 451)", "" when none answered.
std::string codes_of(const Members& members) {
  std::vector<int> codes;
  for (const auto* v : members)
    if (v->status > 0 && std::find(codes.begin(), codes.end(), v->status) == codes.end())
      codes.push_back(v->status);
  std::string out;
  for (int c : codes) out += (out.empty() ? "" : ", ") + std::to_string(c);
  return out.empty() ? "" : " (" + out + ")";
}

// "eu1's address", "eu1's and us1's addresses".
std::string possessive(const Members& members, const char* thing, const char* things) {
  std::vector<std::string> owners;
  for (const auto* v : members) owners.push_back(v->name + "'s");
  return list_names(owners) + " " + (members.size() == 1 ? thing : things);
}

// A group of vantages that failed the same way.
struct Group {
  Kind kind = Kind::other;
  std::string reason;
  Basis basis = Basis::status;
  Members members;
  State state = State::ok;  // what the group adds to the combined state
  bool regional = false;    // a denial while other vantages were answered
  bool evidence = false;    // regional: the denied answers named the cause themselves
  std::string phrase;       // "refused from eu1 only (403)"
  std::string explanation;  // "likely an IP allowlist or geo rule for eu1's address"
  std::vector<std::string> hints;
};

// The strongest basis among the members, for a finding that every one of them made.
Basis strongest(const Members& members) {
  Basis best = members.front()->basis;
  for (const auto* v : members)
    if (strength(v->basis) > strength(best)) best = v->basis;
  return best;
}

// The denied answers' own evidence decides between ip, geo, waf (and a rate
// rule); without any, an IP allowlist is the likeliest, a geo rule next.
void judge_regional(Group& g) {
  const VantageSeen* best = nullptr;
  for (const auto* v : g.members)
    if (regional_reason(v->reason) && (!best || strength(v->basis) > strength(best->basis))) best = v;
  g.reason = best ? best->reason : "forbidden.ip";
  g.evidence = best != nullptr;
  g.basis = Basis::comparison;
}

// The words and hints of one group; `answered` the vantages judged OK.
struct Counts {
  int ran = 0;
  int path_failures = 0;
  int quorum = 0;
};

void describe(Group& g, const Members& answered, const Members& reached, const Counts& n) {
  const std::string who = list_names(names_of(g.members));
  const std::string ok_names = list_names(names_of(answered));
  const std::string only = answered.empty() ? "" : " only";
  const std::string codes = codes_of(g.members);
  const std::string address = possessive(g.members, "address", "addresses");
  switch (g.kind) {
    case Kind::denied:
      g.phrase =
          (g.reason == "throttled" ? "rate-limited" : "refused") + std::string(" from ") + who + only + codes;
      if (!g.regional) break;
      if (g.reason == "forbidden.waf") {
        g.explanation = "a WAF or firewall rule blocks " + who;
        g.hints.push_back("A WAF or firewall rule blocks " + who + " while " + ok_names +
                          " is answered: allowlist " + address +
                          " in it, or find the rule in its log (by the reference ID of the block page).");
      } else if (g.reason == "forbidden.geo") {
        g.explanation =
            "a geo rule for " + possessive(g.members, "country or region", "countries or regions");
        g.hints.push_back("The endpoint's geo rules block " + possessive(g.members, "region", "regions") +
                          ": allow it, or probe from an allowed region.");
      } else if (g.reason == "throttled") {
        g.explanation = address + (g.members.size() == 1 ? " is" : " are") + " over the rate limit";
        g.hints.push_back("The rate limit applies to " + address + " and not to " + ok_names +
                          ": lower the probe rate from " + who +
                          " or raise its quota (another client behind the same address may use it up).");
      } else if (g.evidence) {
        g.explanation =
            address + (g.members.size() == 1 ? " is" : " are") + " not on the endpoint's allowlist";
        g.hints.push_back("Add " + address +
                          " to the endpoint's IP allowlist: the same request was answered from " + ok_names +
                          ".");
      } else {
        g.explanation = "likely an IP allowlist or geo rule for " + address;
        g.hints.push_back("Add " + address +
                          " to the endpoint's IP allowlist: the same request was answered from " + ok_names +
                          ".");
        g.hints.push_back("If " + who + (g.members.size() == 1 ? " is" : " are") +
                          " in another country or region than " + ok_names +
                          ", check the endpoint's geo rules (a CDN or WAF that blocks by region).");
        g.hints.push_back("Check whether a WAF or rate rule matches " + address + ".");
      }
      break;
    case Kind::path: {
      g.phrase = reason_words(g.reason, g.basis) + " from " + who;
      if (g.state == State::critical && n.path_failures < n.ran)
        g.phrase += " (" + std::to_string(n.path_failures) + " of " + std::to_string(n.ran) +
                    " vantages, quorum " + std::to_string(n.quorum) + ")";
      else
        g.phrase += only;
      if (reached.empty()) break;
      g.explanation = "a network path from " + who + ", not the service";
      g.hints.push_back("The service answered " + list_names(names_of(reached)) +
                        ": look at the network path from " + who +
                        " (routing, firewalls, its resolver or proxy) before the service.");
      break;
    }
    case Kind::auth:
    case Kind::other:
      g.phrase = reason_words(g.reason, g.basis) + " from " + who + only + codes;
      if (answered.empty()) break;
      g.hints.push_back(
          "Only " + who + (g.members.size() == 1 ? " sees" : " see") + " this; " + ok_names +
          " is answered: compare what differs on the way from " + who +
          " (a proxy that changes the request, another backend or region behind the same name).");
      break;
    case Kind::ok: break;
  }
  if (const ReasonInfo* info = find_reason(g.reason))
    for (auto h : info->hints) g.hints.emplace_back(h);
}

void add_unique(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

// "403 from eu1; 200 from us1 and direct", "200 from every vantage",
// "200 from us1; eu1 could not run".
std::string pattern_of(const std::vector<VantageSeen>& seen) {
  std::vector<std::pair<std::string, std::vector<std::string>>> by_answer;
  std::vector<std::string> not_run;
  for (const auto& v : seen) {
    if (!v.ran) {
      not_run.push_back(v.name);
      continue;
    }
    const std::string answer = v.status > 0 ? std::to_string(v.status) : reason_words(v.reason, v.basis);
    auto it =
        std::find_if(by_answer.begin(), by_answer.end(), [&](const auto& p) { return p.first == answer; });
    if (it == by_answer.end())
      by_answer.push_back({answer, {v.name}});
    else
      it->second.push_back(v.name);
  }
  std::string out;
  if (by_answer.size() == 1 && not_run.empty() && seen.size() > 1)
    out = by_answer.front().first + " from every vantage";
  else
    for (const auto& [answer, names] : by_answer)
      out += (out.empty() ? "" : "; ") + answer + " from " + list_names(names);
  if (!not_run.empty()) out += (out.empty() ? "" : "; ") + list_names(not_run) + " could not run";
  return out;
}

// The same outcome everywhere: every vantage OK, the same reason, or a denial from each.
bool same_everywhere(const Members& failing, std::size_t ran) {
  if (failing.size() != ran) return false;
  bool same_reason = true;
  bool all_denied = true;
  for (const auto* v : failing) {
    same_reason = same_reason && v->reason == failing.front()->reason;
    all_denied = all_denied && kind_of(*v) == Kind::denied;
  }
  return same_reason || all_denied;
}

CombinedVerdict everywhere(const Members& failing) {
  CombinedVerdict c;
  Group g;
  g.kind = kind_of(*failing.front());
  g.members = failing;
  g.basis = strongest(failing);
  g.reason = failing.front()->reason;
  for (const auto* v : failing)
    if (v->basis == g.basis) {
      g.reason = v->reason;
      break;
    }
  for (const auto* v : failing) c.state = worst(c.state, v->state);
  c.reason = g.reason;
  c.basis = g.basis;
  c.status = failing.front()->status;
  std::string codes = codes_of(failing);
  c.summary = (g.kind == Kind::denied ? std::string("refused") : reason_words(g.reason, g.basis)) +
              " from every vantage" + codes;
  switch (g.kind) {
    case Kind::auth:
      c.summary += ": the credentials are the problem, not a region";
      c.hints.emplace_back(
          "The same credentials were refused from every vantage: the credentials are the problem, not a "
          "region or an allowlist.");
      break;
    case Kind::denied:
      c.summary += ": not a rule for one vantage's address or region";
      c.hints.emplace_back(
          "Every vantage was refused: the rule does not depend on where the request comes from, or none of "
          "the vantages' addresses is allowed.");
      break;
    case Kind::path:
      c.summary += ": not one network path";
      c.hints.emplace_back(
          "No vantage reached the service: it is down or its address is unreachable from all of them, not "
          "one network path.");
      break;
    case Kind::other:
    case Kind::ok: break;
  }
  if (const ReasonInfo* info = find_reason(g.reason))
    for (auto h : info->hints) add_unique(c.hints, std::string(h));
  c.reasons.push_back(c.reason);
  for (const auto* v : failing) add_unique(c.reasons, v->reason);
  return c;
}

CombinedVerdict partly(const Members& answered, const Members& failing, std::size_t ran,
                       const VantageRule& rule) {
  const int quorum = rule.quorum > 0 ? rule.quorum : static_cast<int>(ran);
  int path_failures = 0;
  Members reached = answered;  // every vantage that got an HTTP answer
  for (const auto* v : failing) {
    path_failures += kind_of(*v) == Kind::path ? 1 : 0;
    if (v->status > 0) reached.push_back(v);
  }
  // Groups by reason (every denial in one group once others are answered).
  std::vector<Group> groups;
  for (const auto* v : failing) {
    const Kind kind = kind_of(*v);
    const bool regional = kind == Kind::denied && !answered.empty();
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
      return regional ? g.regional : (!g.regional && g.reason == v->reason);
    });
    if (it == groups.end()) {
      Group g;
      g.kind = kind;
      g.reason = v->reason;
      g.regional = regional;
      groups.push_back(std::move(g));
      it = std::prev(groups.end());
    }
    it->members.push_back(v);
  }
  for (auto& g : groups) {
    for (const auto* v : g.members) g.state = worst(g.state, v->state);
    if (g.kind == Kind::path && path_failures < quorum && g.state == State::critical)
      g.state = State::warning;
    if (g.regional)
      judge_regional(g);
    else
      g.basis = answered.empty() ? strongest(g.members) : Basis::comparison;
    describe(g, answered, reached, Counts{static_cast<int>(ran), path_failures, quorum});
  }
  // The primary group: the worst state, then the kind that explains most, then the most vantages.
  std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    if (a.state != b.state) return worst(a.state, b.state) == a.state;
    if (a.kind != b.kind) return kind_rank(a.kind) < kind_rank(b.kind);
    return a.members.size() > b.members.size();
  });
  CombinedVerdict c;
  const Group& primary = groups.front();
  c.state = primary.state;
  c.reason = primary.reason;
  c.basis = primary.basis;
  c.status = primary.members.front()->status;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const Group& g = groups[i];
    add_unique(c.reasons, g.reason);
    if (i > 0) c.summary += "; ";
    c.summary += g.phrase;
    if (i == 0 && !answered.empty()) c.summary += ", answered from " + list_names(names_of(answered));
    if (!g.explanation.empty()) c.summary += ": " + g.explanation;
    for (const auto& h : g.hints) add_unique(c.hints, h);
  }
  return c;
}

CombinedVerdict all_ok(const Members& answered) {
  CombinedVerdict c;
  c.reasons.emplace_back("ok");
  c.status = answered.front()->status;
  bool same = true;
  for (const auto* v : answered) same = same && v->status_text == answered.front()->status_text;
  const std::string what =
      same && !answered.front()->status_text.empty() ? answered.front()->status_text : "OK";
  c.summary = what + (answered.size() == 1 ? " from " + answered.front()->name
                                           : " from every vantage (" + list_names(names_of(answered)) + ")");
  return c;
}

}  // namespace

std::string list_names(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

CombinedVerdict combine_vantages(const std::vector<VantageSeen>& seen, const VantageRule& rule) {
  Members answered;
  Members failing;
  Members not_run;
  for (const auto& v : seen) {
    if (!v.ran)
      not_run.push_back(&v);
    else if (kind_of(v) == Kind::ok)
      answered.push_back(&v);
    else
      failing.push_back(&v);
  }
  const std::size_t ran = answered.size() + failing.size();
  CombinedVerdict c;
  if (ran == 0) {
    c.state = State::unknown;
    c.basis = Basis::local;
    if (!not_run.empty()) c.reason = not_run.front()->reason;
    c.reasons.push_back(c.reason);
    c.summary = seen.empty() ? "no vantage" : "no vantage could run";
    std::string each;
    for (const auto* v : not_run)
      each += (each.empty() ? ": " : "; ") + v->name + (v->why_not.empty() ? "" : " (" + v->why_not + ")");
    c.summary += each;
  } else if (failing.empty()) {
    c = all_ok(answered);
  } else if (same_everywhere(failing, ran)) {
    c = everywhere(failing);
  } else {
    c = partly(answered, failing, ran, rule);
  }
  // A vantage that could not run says nothing about the endpoint: named,
  // and UNKNOWN only when nothing else is wrong.
  if (!not_run.empty()) {
    if (ran > 0)
      for (const auto* v : not_run)
        c.summary += "; " + v->name + " could not run" + (v->why_not.empty() ? "" : ": " + v->why_not);
    if (c.state == State::ok && ran > 0) {
      c.state = State::unknown;
      c.reason = not_run.front()->reason;
      c.basis = Basis::local;
      c.reasons.insert(c.reasons.begin(), c.reason);
      c.reasons.erase(std::remove(c.reasons.begin() + 1, c.reasons.end(), c.reason), c.reasons.end());
    }
    std::vector<std::string> names;
    for (const auto* v : not_run) names.push_back(v->name);
    add_unique(c.hints,
               list_names(names) + (names.size() == 1 ? " itself" : " themselves") +
                   " could not probe: fix the vantage (its proxy, source address or agent); that says "
                   "nothing about the endpoint.");
  }
  c.reasons.erase(std::remove(c.reasons.begin(), c.reasons.end(), std::string("ok")), c.reasons.end());
  if (c.reasons.empty()) c.reasons.push_back(c.reason);
  c.pattern = pattern_of(seen);
  return c;
}

}  // namespace probewise
