// SPDX-License-Identifier: GPL-2.0-or-later
// check_probewise_compare: on an Icinga 2 master, one verdict from the
// probewise services that check one endpoint from several zones or agents
// (SPEC 1.7). Parse, read the API, combine, print. Exit code = Nagios state.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <exception>
#include <string>

#include "base/version.h"
#include "compare_options.h"
#include "credentials/credentials.h"
#include "http/request.h"
#include "output/printable.h"
#include "output/render.h"
#include "secrets/secret_registry.h"

namespace {

// Safety net for what libcurl cannot interrupt (a hung resolver).
extern "C" void on_alarm(int) {
  static const char msg[] = "HTTP UNKNOWN - the Icinga 2 API did not answer in time\n";
  ssize_t ignored = write(STDOUT_FILENO, msg, sizeof msg - 1);
  (void)ignored;
  _exit(3);
}

void print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
}

// The API user's password, known once read: nothing written shows it.
probewise::SecretRegistry secrets;

int unknown(const std::string& why) {
  print(probewise::printable_line(secrets.redact("HTTP UNKNOWN - " + why)) + "\n");
  return 3;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace probewise;
  try {
    auto config = parse_compare_options(std::vector<std::string>(argv + 1, argv + argc));
    if (!config) return unknown(config.error());
    CompareConfig& c = config.value();
    switch (c.action) {
      case CompareConfig::Action::help: print(compare_help_text()); return 3;
      case CompareConfig::Action::version:
        print("check_probewise_compare v" PROBEWISE_VERSION " (probewise " PROBEWISE_VERSION ")\n" +
              libcurl_version_line() + "\n");
        return 3;
      case CompareConfig::Action::compare: break;
    }
    auto password = read_secret_file(c.password_file);
    if (!password) return unknown("--api-password-file: " + password.error());
    c.job.api.basic_auth += *password;
    secrets.put("--api-password-file", basic_secrets(c.job.api.basic_auth));
    if (!global_init()) return unknown("curl_global_init failed");
    signal(SIGALRM, on_alarm);
    alarm(static_cast<unsigned>(c.timeout_seconds + 1));
    const std::time_t now = std::time(nullptr);
    auto result = compare_icinga(c.job, perform, now);
    alarm(0);
    if (!result) return unknown(result.error());
    Policy policy;
    policy.timeout_seconds = c.timeout_seconds;
    RenderOptions render;
    render.verbosity = c.verbosity;
    render.secrets = &secrets;
    print(c.json ? render_vantages_json(*result, policy, now, &secrets)
                 : render_vantages_nagios(*result, policy, render));
    std::fflush(stdout);
    return static_cast<int>(result->combined.state);
  } catch (const std::exception& e) {
    return unknown(std::string("internal error: ") + e.what());
  } catch (...) {
    return unknown("internal error");
  }
}
