// Recorded results for classification tests: one file per case under
// tests/data/responses, "key: value" lines, "----", then the raw answer
// (status line, headers, blank line, body) as a server sent it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "probe_result.h"

namespace probewise::testing {

struct RecordedCase {
  std::string name;
  std::map<std::string, std::string> keys;  // origin, options, expect_state, ...
  ProbeResult result;
};

RecordedCase load_recorded(const std::string& path);
std::vector<std::string> recorded_files(const std::string& dir);
// "a b 'c d'" -> {"a", "b", "c d"}
std::vector<std::string> split_args(const std::string& text);

}  // namespace probewise::testing
