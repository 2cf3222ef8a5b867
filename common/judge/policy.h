// SPDX-License-Identifier: GPL-2.0-or-later
// How to judge an answer: expectations and thresholds, as set by the
// check's options or the collectd config. Plain data, and the two helpers
// that both front ends need to check a regular expression when it is given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "evidence/health.h"
#include "judge/range.h"
#include "judge/state.h"
#include "judge/status_list.h"

namespace probewise {

struct RegexExpectation {
  std::string pattern;
  bool icase = false;             // -R
  bool linespan = false;          // -l: '.' and anchors span newlines
  bool invert = false;            // --invert-regex
  State state = State::critical;  // --state-regex
};

// POSIX regcomp() flags for the expectation (extended, no captures).
int regex_flags(const RegexExpectation& rx);
// regerror()'s words when the pattern does not compile, "" when it does.
std::string regex_error(const RegexExpectation& rx);

struct CertificateExpectation {
  int warn_days = 0;
  int crit_days = 0;
  bool continue_after = false;  // --continue-after-certificate
};

// --token-expiry: days before the monitor's own token expires.
struct TokenExpiry {
  bool enabled = true;
  double warn_days = 7;
  double crit_days = 1;
};

struct Policy {
  std::vector<std::string> expect_status_line;  // -e: any of these in the status line
  std::optional<StatusSet> expect_status;       // --expect-status
  StatusStates status_states;                   // --status-state
  State redirect_state = State::ok;             // -f ok|warning|critical
  std::string header_string;                    // -d
  std::string body_string;                      // -s
  std::optional<RegexExpectation> regex;        // -r/-R
  std::optional<long long> min_size;            // -m MIN[:MAX]
  std::optional<long long> max_size;
  std::optional<long long> max_age_seconds;           // -M
  Thresholds time;                                    // -w/-c, seconds
  std::optional<CertificateExpectation> certificate;  // -C
  State timeout_state = State::critical;              // --timeout-result
  double timeout_seconds = 10;                        // perfdata max
  std::string display_url;             // "http://host:port/path" for messages; "" = the URL asked
  TokenExpiry token_expiry;            // --token-expiry
  bool check_auth_enforced = false;    // --check-auth-enforced
  std::optional<HealthFormat> health;  // --health[=FORMAT]
};

}  // namespace probewise
