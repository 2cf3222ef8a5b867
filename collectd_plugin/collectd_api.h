// SPDX-License-Identifier: GPL-2.0-or-later
// collectd's plugin API, included in one place. Its headers are C; they
// include config.h only with HAVE_CONFIG_H, which a plugin built outside
// collectd's tree leaves unset, and fall back to defaults that suffice.
// Their time macros use C compound literals: use to_cdtime() instead.
#pragma once

#include <cstdint>

extern "C" {
#include <collectd/core/daemon/plugin.h>
}

namespace probewise {

// Seconds (since the epoch, or of an interval) in collectd's 2^-30 s units.
inline cdtime_t to_cdtime(double seconds) {
  return seconds > 0 ? static_cast<cdtime_t>(seconds * 1073741824.0) : 0;
}

}  // namespace probewise
