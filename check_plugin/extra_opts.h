// SPDX-License-Identifier: GPL-2.0-or-later
// monitoring-plugins' --extra-opts=[section][@file]: options kept in an ini
// file, expanded in place before parsing.
#pragma once

#include <string>
#include <vector>

#include "base/expected.h"

namespace probewise {

// Replaces every --extra-opts[=...] in args by the options of its section.
// default_section is the plugin's name; files are searched where
// monitoring-plugins looks when no @file is given.
Expected<std::vector<std::string>> expand_extra_opts(const std::vector<std::string>& args,
                                                     const std::string& default_section);

}  // namespace probewise
