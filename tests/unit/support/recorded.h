// SPDX-License-Identifier: GPL-2.0-or-later
// Recorded results for classification tests: one file per case under
// tests/data/responses, "key: value" lines, "----", then the raw answer
// (status line, headers, blank line, body) as a server sent it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "http/probe_result.h"

namespace probewise::testing {

// A recorded file split at its "----" line: the "key: value" lines above it
// (a key may repeat), and everything below it verbatim.
struct RecordedFile {
  std::string name;
  std::map<std::string, std::vector<std::string>> keys;
  std::string content;
  bool has_separator = false;
};
RecordedFile read_recorded_file(const std::string& path);

// A test name for a recorded file: its base name, alphanumerics only.
std::string recorded_test_name(const std::string& path);

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
