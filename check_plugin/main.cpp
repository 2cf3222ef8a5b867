// SPDX-License-Identifier: GPL-2.0-or-later
// check_probewise: parse, probe, judge, print. Exit code = Nagios state.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <exception>
#include <string>

#include "base/version.h"
#include "check/check_run.h"
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

// Safety net for what libcurl cannot interrupt (a hung resolver): the
// guidelines' "plugin timed out" answer, one second after -t.
extern "C" void on_alarm(int) {
  static const char msg[] = "HTTP CRITICAL - Plugin timed out\n";
  ssize_t ignored = write(STDOUT_FILENO, msg, sizeof msg - 1);
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

}  // namespace

int main(int argc, char** argv) {
  using namespace probewise;
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    auto expanded = expand_extra_opts(args, "check_probewise");
    if (!expanded) return unknown(expanded.error());
    auto config = parse_check_options(*expanded);
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
    lighten_openssl_startup(c.oauth2.has_value() || may_use_tls(c.spec, process_environment()));
    if (!global_init()) return unknown("curl_global_init failed");
    g_timeout_state = static_cast<int>(c.policy.timeout_state);
    signal(SIGALRM, on_alarm);
    alarm(static_cast<unsigned>(c.timeout_seconds + 1));

    CheckJob job{c.spec, c.policy, c.oauth2, c.state, c.secrets};
    auto applied = apply_credentials(c.credentials, job.spec, process_getenv, c.secrets.get());
    if (!applied) return unknown(applied.error(), c.secrets.get());
    CheckOutcome outcome = run_check(job);
    alarm(0);
    // Credential files that are no regular file, or that others may read:
    // advice, never a state (SPEC 1.6).
    for (const auto& note : *applied) outcome.verdict.notes.push_back(note);
    for (auto& note : credential_file_notes(c.credentials, c.oauth2))
      outcome.verdict.notes.push_back(std::move(note));
    const ProbeResult& result = outcome.result;
    const Verdict& verdict = outcome.verdict;
    const std::time_t now = std::time(nullptr);
    RenderOptions render = c.render;
    render.secrets = c.secrets.get();
    if (c.format == OutputFormat::json)
      print(render_json(result, verdict, c.policy, now, c.secrets.get()));
    else
      print(render_nagios(result, verdict, c.policy, render));
    std::fflush(stdout);
#if defined(__SANITIZE_ADDRESS__)
    __lsan_do_leak_check();  // _exit below skips the sanitizer's own check at exit
#endif
    // Skip exit handlers (OpenSSL's clean-up costs more than the check):
    // everything is written and nothing else is left to release.
    _exit(static_cast<int>(verdict.state));
  } catch (const std::exception& e) {
    return unknown(std::string("internal error: ") + e.what());
  } catch (...) {
    return unknown("internal error");
  }
}
