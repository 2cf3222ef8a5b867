// SPDX-License-Identifier: GPL-2.0-or-later
// One endpoint, several vantages (SPEC 1.7): the combined verdict of what
// each vantage saw. This is the one rule that check_probewise (--vantage),
// the Icinga 2 compare check and the collectd compare mode apply. Pure: the
// vantages' own verdicts in, one verdict with its words and hints out.
//
//   every vantage OK                       OK
//   the same failure everywhere            that failure, "from every vantage"
//                                          (an auth failure: the credentials)
//   denied from some, answered from others forbidden.ip / .geo / .waf (the denied
//                                          answers' evidence; else ip, geo next),
//                                          basis comparison
//   a network failure from some only       WARNING naming them; CRITICAL from the quorum
//   any other failure from some only       its own state, "from X only", basis comparison
//   a vantage that could not run           named as such, never the endpoint down:
//                                          UNKNOWN when nothing else is wrong
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "evidence/signals.h"
#include "judge/state.h"

namespace probewise {

// What one vantage saw, in the terms every engine has.
struct VantageSeen {
  std::string name;  // "eu1", "probe-us1"
  std::string via;   // how it left, for people: "source 192.0.2.10", "proxy http://proxy:3128", "agent eu1"
  // false: the vantage itself could not probe (its proxy is down, its source
  // address is not on this host, its last result is stale): it says nothing
  // about the endpoint.
  bool ran = true;
  std::string why_not;  // when !ran: "its proxy http://proxy:3128 refused the connection"
  State state = State::ok;
  std::string reason = "ok";  // a SPEC 1.3 code
  Basis basis = Basis::status;
  int status = 0;                  // HTTP status; 0 = no answer
  std::string status_text;         // "403 Forbidden"; "" = no answer
  std::optional<double> total_ms;  // nullopt: not known
  std::string detail;              // its own words for its finding, "" if none
};

struct VantageRule {
  // How many vantages must fail on the network path for CRITICAL
  // (--vantage-quorum); 0 = every vantage that ran.
  int quorum = 0;
};

struct CombinedVerdict {
  State state = State::ok;
  std::string reason = "ok";
  Basis basis = Basis::status;
  std::vector<std::string> reasons;  // every non-ok reason, primary first
  // "refused from eu1 only (403), answered from us1 and direct: likely an IP
  // allowlist or geo rule for eu1's address"
  std::string summary;
  std::vector<std::string> hints;  // most likely first
  int status = 0;                  // the HTTP status behind the primary reason (0: none)
  // What each vantage answered, for change detection: "403 from eu1; 200 from us1 and direct".
  std::string pattern;
};

CombinedVerdict combine_vantages(const std::vector<VantageSeen>& seen, const VantageRule& rule);

// "eu1", "eu1 and us1", "eu1, us1 and direct".
std::string list_names(const std::vector<std::string>& names);

}  // namespace probewise
