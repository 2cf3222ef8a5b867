// SPDX-License-Identifier: GPL-2.0-or-later
// check_http's words where they differ from check_curl's (SPEC 1.1) on a
// failed connection, a timeout or a failed TLS handshake: check_http opens
// its own socket and prints what that layer says. (A matched -e, the other
// difference, is in status_line().)
#pragma once

#include <optional>
#include <string>

#include "http/probe_result.h"
#include "judge/verdict.h"
#include "output/render.h"

namespace probewise {

// The lines check_http prints before it exits, or nullopt where check_http
// says what check_curl says.
std::optional<std::string> check_http_failure_lines(const ProbeResult& r, const Verdict& v,
                                                    const RenderOptions& o);

}  // namespace probewise
