// SPDX-License-Identifier: GPL-2.0-or-later
// check_probewise: parse, probe, judge, print. Exit code = Nagios state.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <exception>
#include <string>

#include "base/version.h"
#include "check/check_run.h"
#include "check/vantage_run.h"
#include "credentials/credentials.h"
#include "credentials/file_access.h"
#include "extra_opts.h"
#include "http/openssl_startup.h"
#include "http/request.h"
#include "options.h"
#include "output/printable.h"
#include "output/render.h"
#include "secrets/secret_registry.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace {

int g_timeout_state = 2;
char g_timeout_message[96] = "HTTP CRITICAL - Plugin timed out\n";

// Safety net for what libcurl cannot interrupt (a hung resolver): the
// guidelines' "plugin timed out" answer, one second after -t.
extern "C" void on_alarm(int) {
  ssize_t ignored = write(STDOUT_FILENO, g_timeout_message, std::strlen(g_timeout_message));
  (void)ignored;
  _exit(g_timeout_state);
}

// stdio rather than iostreams: a check starts thousands of times a minute.
void print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
}

// One line, whatever the reason holds (a value with a line break in it).
int unknown(const std::string& why, const probewise::SecretRegistry* secrets = nullptr) {
  print(probewise::printable_line(probewise::redact("HTTP UNKNOWN - " + why, secrets)) + "\n");
  return 3;
}

// The name it runs under: as check_http (a link of that name) it speaks
// check_http's words, and --extra-opts reads the incumbent's section.
std::string invoked_as(const char* argv0) {
  std::string name = argv0 ? argv0 : "";
  if (auto slash = name.rfind('/'); slash != std::string::npos) name.erase(0, slash + 1);
  return name == "check_http" || name == "check_curl" ? name : "check_probewise";
}

std::string render(const probewise::CheckConfig& c, const probewise::ProbeResult& result,
                   const probewise::Verdict& verdict) {
  using probewise::OutputFormat;
  switch (c.format) {
    case OutputFormat::nagios: return probewise::render_nagios(result, verdict, c.policy, c.render);
    case OutputFormat::json:
      return probewise::render_json(result, verdict, c.policy, std::time(nullptr), c.secrets.get());
    case OutputFormat::multi_line: return probewise::render_multi_line(result, verdict, c.policy, c.render);
    case OutputFormat::mp_test_json:
      return probewise::render_mp_test_json(result, verdict, c.policy, c.render);
  }
  return probewise::render_nagios(result, verdict, c.policy, c.render);
}

// Skips exit handlers (OpenSSL's clean-up costs more than the check):
// everything is written and nothing else is left to release.
[[noreturn]] void finish(int state) {
  std::fflush(stdout);
#if defined(__SANITIZE_ADDRESS__)
  __lsan_do_leak_check();  // _exit below skips the sanitizer's own check at exit
#endif
  _exit(state);
}

// --vantage: the same check from each vantage at once, one combined verdict.
int run_from_vantages(const probewise::CheckConfig& c, const probewise::CheckJob& job,
                      const std::vector<std::string>& notes) {
  using namespace probewise;
  auto requests = vantage_requests(job.spec, c.vantages, c.secrets.get());
  if (!requests) return unknown(requests.error(), c.secrets.get());
  VantagesResult result = run_vantages(job, c.vantages, *requests, c.vantage_rule);
  alarm(0);
  result.notes.insert(result.notes.end(), notes.begin(), notes.end());
  for (auto& note : credential_file_notes(c.credentials, c.oauth2)) result.notes.push_back(std::move(note));
  switch (c.format) {
    case OutputFormat::nagios: print(render_vantages_nagios(result, c.policy, c.render)); break;
    case OutputFormat::json:
      print(render_vantages_json(result, c.policy, std::time(nullptr), c.secrets.get()));
      break;
    case OutputFormat::multi_line: print(render_vantages_multi_line(result, c.policy, c.render)); break;
    case OutputFormat::mp_test_json: print(render_vantages_mp_test_json(result, c.policy, c.render)); break;
  }
  finish(c.format == OutputFormat::mp_test_json ? 0 : static_cast<int>(result.combined.state));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace probewise;
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    const std::string name = invoked_as(argv[0]);
    auto expanded = expand_extra_opts(args, name);
    if (!expanded) return unknown(expanded.error());
    auto config = parse_check_options(*expanded, name);
    if (!config) return unknown(config.error());
    const CheckConfig& c = *config;
    switch (c.action) {
      case Action::help: print(check_help_text()); return 3;
      case Action::version:
        print("check_probewise v" PROBEWISE_VERSION " (probewise " PROBEWISE_VERSION ")\n" +
              libcurl_version_line() + "\n");
        return 3;
      case Action::check: break;
    }
    // The check owns its process: it spares OpenSSL what this run cannot use
    // (an OAuth token endpoint may be https, or behind one).
    bool tls = c.oauth2.has_value() || may_use_tls(c.spec, process_environment());
    for (const auto& v : c.vantages) tls = tls || may_use_tls(from_vantage(c.spec, v), process_environment());
    lighten_openssl_startup(tls);
    if (!global_init()) return unknown("curl_global_init failed");
    g_timeout_state = static_cast<int>(c.policy.timeout_state);
    if (c.render.dialect == Dialect::check_http)
      std::snprintf(g_timeout_message, sizeof g_timeout_message, "%s - Socket timeout after %d seconds\n",
                    std::string(state_name(c.policy.timeout_state)).c_str(), c.timeout_seconds);
    signal(SIGALRM, on_alarm);
    alarm(static_cast<unsigned>(c.timeout_seconds + 1));

    CheckJob job{c.spec, c.policy, c.oauth2, c.state, c.secrets};
    auto applied = apply_credentials(c.credentials, job.spec, process_getenv, c.secrets.get());
    if (!applied) return unknown(applied.error(), c.secrets.get());
    if (!c.vantages.empty()) return run_from_vantages(c, job, *applied);
    CheckOutcome outcome = run_check(job);
    alarm(0);
    // Credential files that are no regular file, or that others may read:
    // advice, never a state (SPEC 1.6).
    for (const auto& note : *applied) outcome.verdict.notes.push_back(note);
    for (auto& note : credential_file_notes(c.credentials, c.oauth2))
      outcome.verdict.notes.push_back(std::move(note));
    print(render(c, outcome.result, outcome.verdict));
    finish(c.format == OutputFormat::mp_test_json ? 0 : static_cast<int>(outcome.verdict.state));
  } catch (const std::exception& e) {
    return unknown(std::string("internal error: ") + e.what());
  } catch (...) {
    return unknown("internal error");
  }
}
