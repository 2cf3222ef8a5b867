// SPDX-License-Identifier: GPL-2.0-or-later
// Error bodies of identity providers, APIs and platforms (JSON error objects,
// XML errors, problem+json, plain text), read into Signals for the auth.*,
// forbidden.*, throttled codes. Bounded work on any input; never throws.
//
// Which answers are read: 401, 403, 407, 429; 400 for explicit codes only
// (AWS and OAuth token endpoints answer auth failures with 400; words in a 400
// are usually validation errors); 5xx for auth.service_unavailable and
// throttled only. Any other status (a 200 page that mentions "expired", a
// 404) yields nothing, except for an unmistakable error object: Slack's
// {"ok":false,"error":"..."} and GraphQL's errors[].extensions.code, which
// arrive with 200.
//
// Signals come back best first: Strength::explicit_ before wording, and among
// equals the more specific table row first; at most one signal per reason.
// A body never yields Strength::presence. Values that look like credentials
// (JWTs, long base64, known key prefixes) never reach detail or evidence.
#pragma once

#include <string>
#include <string_view>

#include "evidence/body_text.h"
#include "evidence/signals.h"
#include "http/header_map.h"

namespace probewise {

Signals error_body_signals(const HeaderMap& headers, std::string_view body, int status);

}  // namespace probewise
