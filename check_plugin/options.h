// SPDX-License-Identifier: GPL-2.0-or-later
// check_probewise's command line: check_curl's options plus probewise's,
// parsed into a RequestSpec, a Policy and render options. Pure: takes the
// arguments (without argv[0]) and the environment, never exits.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/expected.h"
#include "check/check_run.h"
#include "compare/vantages.h"
#include "credentials/credentials.h"
#include "http/proxy.h"
#include "http/request_spec.h"
#include "http/vantage.h"
#include "judge/policy.h"
#include "output/render.h"
#include "secrets/secret_registry.h"

namespace probewise {

enum class Action { check, help, version };
// nagios and json are probewise's; multi-line and mp-test-json current
// upstream check_curl's (the latter exits 0 whatever the state).
enum class OutputFormat { nagios, json, multi_line, mp_test_json };

struct CheckConfig {
  Action action = Action::check;
  RequestSpec spec;
  Policy policy;
  RenderOptions render;
  OutputFormat format = OutputFormat::nagios;
  int timeout_seconds = 10;
  CredentialOptions credentials;
  std::optional<OAuth2Config> oauth2;
  StateOptions state;
  std::vector<Vantage> vantages;  // --vantage: none = one plain check
  VantageRule vantage_rule;
  // Every secret given on the command line (-a, -b, -k, userinfo), as it
  // is read; the credential files, variables and OAuth add theirs later.
  std::shared_ptr<SecretRegistry> secrets = std::make_shared<SecretRegistry>();
};

// invoked_as is the program's name: "check_http" speaks check_http's words
// unless --compat says otherwise.
Expected<CheckConfig> parse_check_options(const std::vector<std::string>& args,
                                          const std::string& invoked_as = "check_probewise");

// The --help text (options from the same description the parser uses).
std::string check_help_text();

}  // namespace probewise
