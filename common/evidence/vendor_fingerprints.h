// SPDX-License-Identifier: GPL-2.0-or-later
// WAF, CDN and bot-protection vendors: who is in the path (presence) and
// whether it blocked the request (a block page or block header), and geo or
// IP blocks where the page says so. A data table, not if-chains.
//
// How the signals read:
// - Presence: Strength::presence, reason "forbidden.unspecified", vendor set,
//   detail "Cloudflare is in the path" (or, for the weak hints of nginx's and
//   Apache's own default error pages, what that page implies). It never
//   claims a block: "forbidden.unspecified" is only what a 403 means when
//   nothing stronger is known. Emitted for statuses >= 400 only, one per vendor.
// - Blocks: a vendor's block page, block header or error code, with
//   Strength::explicit_ (a few status-only hints, such as a 406 from Fastly,
//   are Strength::wording). Reason forbidden.waf / forbidden.geo /
//   forbidden.ip / throttled; vendor set; the evidence names the vendor and
//   any ray / reference / incident / support ID the operator can quote.
//   Read on 403, 405, 406, 429, 451 and 5xx only. A vendor header alone never
//   makes a block signal.
// - Wording any server uses ("your IP address is not allowed", "blocked by
//   X") is not read here: evidence/wording.h has the one table of phrases.
// Signals come back best first (blocks by strength, then presence).
// Matching is case-insensitive on the first 64 KiB of the body; bounded work.
#pragma once

#include <string_view>

#include "evidence/signals.h"
#include "http/header_map.h"

namespace probewise {

Signals vendor_signals(const HeaderMap& headers, std::string_view body, int status);

}  // namespace probewise
