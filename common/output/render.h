// SPDX-License-Identifier: GPL-2.0-or-later
// Renderers: the Nagios plugin output (status line, perfdata, long output)
// and the JSON object of SPEC 1.5. Both read the same result and verdict.
#pragma once

#include <string>

#include "compare/vantage_result.h"
#include "http/probe_result.h"
#include "judge/policy.h"
#include "judge/verdict.h"

namespace probewise {

struct RenderOptions {
  bool extended_perfdata = false;  // -E
  bool show_body = false;          // -B
  int verbosity = 0;               // -v..-vvv
};

// The status line without perfdata, e.g.
// "HTTP WARNING: HTTP/1.1 404 Not Found - 312 bytes in 0.004 second response time".
std::string status_line(const ProbeResult& r, const Verdict& v);

// Trace (with -v), status line with perfdata, body (-B), then long output.
std::string render_nagios(const ProbeResult& r, const Verdict& v, const Policy& p, const RenderOptions& o);

std::string render_json(const ProbeResult& r, const Verdict& v, const Policy& p, std::time_t now);

// A run from several vantages (SPEC 1.7): the combined verdict's status
// line with time and time_NAME perfdata, one line per vantage, then the
// reason, basis, hints and each failing vantage's evidence; in JSON the
// same members as one check plus `vantages`.
std::string render_vantages_nagios(const VantagesResult& r, const Policy& p, const RenderOptions& o);
std::string render_vantages_json(const VantagesResult& r, const Policy& p, std::time_t now);

}  // namespace probewise
