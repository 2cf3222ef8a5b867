// SPDX-License-Identifier: GPL-2.0-or-later
// The compare mode's collectd callbacks (compare_mode.h): a write callback
// and a notification callback that hand every probewise value and
// notification to it, and a read callback that dispatches its verdicts.
#pragma once

#include "config.h"

namespace probewise {

// Registers the three callbacks, sharing one CompareMode; collectd frees it
// with them. Returns false (and logs why) when collectd refused one.
bool register_compare(const CompareSettings& settings);

}  // namespace probewise
