// SPDX-License-Identifier: GPL-2.0-or-later
// The judgement of one result: a state, the reasons for it, and what the
// operator should look at. Plain data; renderers turn it into text.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "evidence/health.h"
#include "evidence/signals.h"
#include "judge/state.h"
#include "memory/change.h"

namespace probewise {

// Which first-line shape check_curl used for this kind of outcome.
enum class Shape {
  http,             // "HTTP OK: HTTP/1.1 200 OK - ... bytes in ..."
  transport,        // "HTTP CRITICAL - Invalid HTTP response received ...: cURL returned ..."
  status_mismatch,  // "HTTP CRITICAL - Invalid HTTP response received ...: <status line>"
  redirect_abort,   // "HTTP WARNING - maximum redirection depth ..."
  certificate,      // "OK - Certificate 'CN' will expire on ..." (-C without --continue)
  auth_failure,     // "HTTP CRITICAL - <the OAuth token endpoint failed>": no request was made
};

struct Finding {
  std::string reason;  // a code of SPEC 1.3
  State state = State::ok;
  std::string message;         // words for the status line; may be empty
  Basis basis = Basis::local;  // what it rests on (SPEC 1.3)
};

struct Verdict {
  State state = State::ok;
  std::string reason = "ok";         // primary: the finding that set the state
  Basis basis = Basis::status;       // what the primary reason rests on (SPEC 1.3)
  std::vector<std::string> reasons;  // every non-ok reason, primary first
  std::vector<Finding> findings;     // in status-line order
  Shape shape = Shape::http;
  std::string headline;              // the shape's specific text (see render)
  bool status_line_matched = false;  // -e matched: its finding comes first
  std::vector<std::string> hints;
  std::vector<std::string> evidence;
  std::optional<long> tls_days_left;
  std::optional<Change> change;                 // SPEC 1.4
  std::optional<std::time_t> token_expires_at;  // the monitor's own token
  std::vector<std::string> notes;               // e.g. "change detection is off: ..."
  std::optional<HealthReport> health;           // --health: the document as read
};

}  // namespace probewise
