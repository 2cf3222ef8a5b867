// SPDX-License-Identifier: GPL-2.0-or-later
// The steps of parse_check_options(): each reads one group of options from
// the parsed command line into the CheckConfig. An error names the option.
#pragma once

#include <boost/program_options.hpp>

#include <string>
#include <vector>

#include "base/expected.h"
#include "options.h"

namespace probewise {

// The command line after Boost has parsed it.
struct ParsedOptions {
  boost::program_options::variables_map vm;
  int verbosity = 0;                    // -v counted
  std::vector<std::string> positional;  // check_http's bare host name

  bool has(const char* name) const { return vm.count(name) > 0; }
  const std::string& get(const char* name) const { return vm[name].as<std::string>(); }
  std::string get_or_empty(const char* name) const { return has(name) ? get(name) : std::string(); }
};

using OptionReader = Expected<bool> (*)(const ParsedOptions&, CheckConfig&);

Expected<bool> read_line_breaks(const ParsedOptions& o, CheckConfig& c);    // CR, LF, NUL in what is sent
Expected<bool> read_output_basics(const ParsedOptions& o, CheckConfig& c);  // -v -E -B
Expected<bool> read_target(const ParsedOptions& o, CheckConfig& c);         // -H -I -p -u -S -4 -6
Expected<bool> read_tls(const ParsedOptions& o, CheckConfig& c);            // -D --ca-cert -J -K -C
Expected<bool> read_request(const ParsedOptions& o, CheckConfig& c);        // method, body, headers, proxy...
Expected<bool> read_redirects(const ParsedOptions& o, CheckConfig& c);      // -f --max-redirs
Expected<bool> read_timeouts(const ParsedOptions& o, CheckConfig& c);  // -t --timeout-result ... (after -c)
Expected<bool> read_expectations(const ParsedOptions& o, CheckConfig& c);   // -e -d -s -r -R -m -M ...
Expected<bool> read_thresholds(const ParsedOptions& o, CheckConfig& c);     // -w -c
Expected<bool> read_output_format(const ParsedOptions& o, CheckConfig& c);  // --output-format
Expected<bool> read_credentials(const ParsedOptions& o, CheckConfig& c);    // files, OAuth 2.0
Expected<bool> read_auth_checks(const ParsedOptions& o, CheckConfig& c);    // --token-expiry ...
Expected<bool> read_health(const ParsedOptions& o, CheckConfig& c);         // --health
Expected<bool> read_state(const ParsedOptions& o, CheckConfig& c);          // --state-dir ...
Expected<bool> read_vantages(const ParsedOptions& o, CheckConfig& c);  // --vantage ... (vantage_options.cpp)

}  // namespace probewise
