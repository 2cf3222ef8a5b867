// WAF, CDN and bot-protection vendors: who is in the path (presence) and
// whether it blocked the request (a block page or block header), and geo or
// IP blocks where the page says so. A data table, not if-chains.
#pragma once

#include <string_view>

#include "header_map.h"
#include "signals.h"

namespace probewise {

// forbidden.waf / forbidden.geo / forbidden.ip / throttled signals with the
// vendor named, plus presence-only signals (Strength::presence) that name who
// is in the path without claiming a block.
Signals vendor_signals(const HeaderMap& headers, std::string_view body, int status);

}  // namespace probewise
