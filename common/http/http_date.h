// SPDX-License-Identifier: GPL-2.0-or-later
// HTTP dates (RFC 9110 5.6.7): IMF-fixdate, and the obsolete RFC 850 and
// asctime forms that servers still send.
#pragma once

#include <ctime>
#include <optional>
#include <string_view>

namespace probewise {

std::optional<std::time_t> parse_http_date(std::string_view text);

}  // namespace probewise
