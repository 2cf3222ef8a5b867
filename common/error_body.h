// Error bodies of identity providers, APIs and platforms (JSON error objects,
// XML errors, problem+json, plain text), read into Signals for the auth.*,
// forbidden.*, throttled codes. Bounded work on any input.
#pragma once

#include <string_view>

#include "header_map.h"
#include "signals.h"

namespace probewise {

Signals error_body_signals(const HeaderMap& headers, std::string_view body, int status);

}  // namespace probewise
