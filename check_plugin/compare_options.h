// SPDX-License-Identifier: GPL-2.0-or-later
// check_probewise_compare's command line: where the Icinga 2 API is, who
// reads it, which services are the vantages of one endpoint, and the rule's
// quorum. Pure: takes the arguments (without argv[0]), never exits.
#pragma once

#include <string>
#include <vector>

#include "base/expected.h"
#include "check/icinga_compare.h"

namespace probewise {

struct CompareConfig {
  enum class Action { compare, help, version };
  Action action = Action::compare;
  IcingaCompareJob job;
  std::string password_file;  // the API user's password, first line
  bool json = false;          // --output-format=json
  int verbosity = 0;
  int timeout_seconds = 10;
};

Expected<CompareConfig> parse_compare_options(const std::vector<std::string>& args);

std::string compare_help_text();

}  // namespace probewise
