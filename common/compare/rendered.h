// SPDX-License-Identifier: GPL-2.0-or-later
// A check result as a monitoring engine keeps it (Icinga 2's
// last_check_result: exit state, output, performance data), read back into
// what the vantage rule needs: check_probewise's status line and its
// "Reason:" and "Basis:" lines; check_curl's and check_http's status line
// where a vantage runs one of them (the status, and the reason its class
// gives). Pure.
#pragma once

#include <string>
#include <vector>

#include "compare/vantages.h"

namespace probewise {

struct RenderedResult {
  int state = 3;                      // the plugin's exit state, 0-3
  std::string output;                 // status line and long output
  std::vector<std::string> perfdata;  // "time=0.003123s;;;0.000000;10.000000", ...
};

// Fills state, reason, basis, status, status_text, total_ms and detail of
// `seen`. False when the output is no HTTP check's verdict (an UNKNOWN from
// the engine itself, "Remote Icinga instance ... is not connected", a
// plugin that timed out): the vantage could not run, and `seen.why_not`
// says what the engine said.
bool read_rendered(const RenderedResult& r, VantageSeen& seen);

// "explicit", "wording", ... back to the Basis; Basis::status for anything else.
Basis parse_basis(std::string_view name);

}  // namespace probewise
