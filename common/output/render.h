// SPDX-License-Identifier: GPL-2.0-or-later
// Renderers: the Nagios plugin output (status line, perfdata, long output)
// and the JSON object of SPEC 1.5. Both read the same result and verdict.
#pragma once

#include <string>

#include "http/probe_result.h"
#include "judge/policy.h"
#include "judge/verdict.h"
#include "secrets/secret_registry.h"

namespace probewise {

struct RenderOptions {
  bool extended_perfdata = false;  // -E
  bool show_body = false;          // -B
  int verbosity = 0;               // -v..-vvv
  // Every secret the check holds, redacted by value (SPEC 1.6); without
  // it only URL secrets are, by shape.
  const SecretRegistry* secrets = nullptr;
};

// The status line without perfdata, e.g.
// "HTTP WARNING: HTTP/1.1 404 Not Found - 312 bytes in 0.004 second response time".
std::string status_line(const ProbeResult& r, const Verdict& v);

// Trace (with -v), status line with perfdata, body (-B), then long output;
// secrets redacted, server text printable (output/printable.h).
std::string render_nagios(const ProbeResult& r, const Verdict& v, const Policy& p, const RenderOptions& o);

// One JSON object (SPEC 1.5), secrets redacted as render_nagios() does.
std::string render_json(const ProbeResult& r, const Verdict& v, const Policy& p, std::time_t now,
                        const SecretRegistry* secrets = nullptr);

}  // namespace probewise
