// SPDX-License-Identifier: GPL-2.0-or-later
// Renderers: the Nagios plugin output (status line, perfdata, long output)
// and the JSON object of SPEC 1.5. Both read the same result and verdict.
#pragma once

#include <string>

#include "compare/vantage_result.h"
#include "http/probe_result.h"
#include "judge/policy.h"
#include "judge/verdict.h"
#include "secrets/secret_registry.h"

namespace probewise {

// Whose words the first line speaks where the incumbents differ (SPEC 1.1):
// check_curl's by default, check_http's under that name or --compat.
enum class Dialect { check_curl, check_http };

struct RenderOptions {
  bool extended_perfdata = false;  // -E
  bool show_body = false;          // -B
  int verbosity = 0;               // -v..-vvv
  Dialect dialect = Dialect::check_curl;
  std::string server_address;  // -I, else -H: check_http names it on a failed connect
  int timeout_seconds = 10;    // -t: check_http names it on a timeout
  // Every secret the check holds, redacted by value (SPEC 1.6); without
  // it only URL secrets are, by shape.
  const SecretRegistry* secrets = nullptr;
};

// The status line without perfdata, e.g.
// "HTTP WARNING: HTTP/1.1 404 Not Found - 312 bytes in 0.004 second response time".
std::string status_line(const ProbeResult& r, const Verdict& v, const RenderOptions& o = {});

// Trace (with -v), status line with perfdata, body (-B), then long output;
// secrets redacted, server text printable (output/printable.h).
std::string render_nagios(const ProbeResult& r, const Verdict& v, const Policy& p, const RenderOptions& o);

// One JSON object (SPEC 1.5), secrets redacted as render_nagios() does.
std::string render_json(const ProbeResult& r, const Verdict& v, const Policy& p, std::time_t now,
                        const SecretRegistry* secrets = nullptr);

// Current upstream check_curl's --output-format values: the result as a tree
// of subchecks, "[STATE] - summary" with indented "\_[STATE] - ..." lines
// (multi-line), or that tree as one JSON object (mp-test-json).
std::string render_multi_line(const ProbeResult& r, const Verdict& v, const Policy& p,
                              const RenderOptions& o);
std::string render_mp_test_json(const ProbeResult& r, const Verdict& v, const Policy& p,
                                const RenderOptions& o);

// The long output's "Reason:", "Basis:", "Also:" and "Hints:" lines.
std::string explanation_lines(const std::string& reason, Basis basis, const std::vector<std::string>& reasons,
                              const std::vector<std::string>& hints);

// A run from several vantages (SPEC 1.7): the combined verdict's status
// line with time and time_NAME perfdata, one line per vantage, then the
// reason, basis, hints and each failing vantage's evidence; in JSON the
// same members as one check plus `vantages`.
std::string render_vantages_nagios(const VantagesResult& r, const Policy& p, const RenderOptions& o);
std::string render_vantages_json(const VantagesResult& r, const Policy& p, std::time_t now,
                                 const SecretRegistry* secrets = nullptr);
// The same in current upstream check_curl's tree formats: one subcheck per vantage.
std::string render_vantages_multi_line(const VantagesResult& r, const Policy& p, const RenderOptions& o);
std::string render_vantages_mp_test_json(const VantagesResult& r, const Policy& p, const RenderOptions& o);

}  // namespace probewise
