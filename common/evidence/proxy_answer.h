// SPDX-License-Identifier: GPL-2.0-or-later
// Answers that a proxy between the monitor and the target made itself (its
// own error page), not the target: Squid's X-Squid-Error, a Proxy-Authenticate
// challenge outside a 407, a Server header naming the product that a Via
// entry names. A data table of markers and of the proxies' error codes.
//
// The signal says who refused (Signal::by) and, for an access denial, reads
// "forbidden.permission": diagnose() judges that by the proxy credentials
// the check sent, as it judges a target's 403 by the target's.
#pragma once

#include <string>
#include <string_view>

#include "evidence/signals.h"
#include "http/header_map.h"

namespace probewise {

// "the proxy (Squid)", or "" when the answer shows no proxy of its own making.
std::string proxy_origin(const HeaderMap& headers);

Signals proxy_signals(const HeaderMap& headers, int status);

}  // namespace probewise
