// SPDX-License-Identifier: GPL-2.0-or-later
#include "compare_options.h"

#include <boost/program_options.hpp>

#include <sstream>

#include "compare/icinga.h"
#include "http/request.h"
#include "http/url.h"

namespace po = boost::program_options;

namespace probewise {
namespace {

using Strings = std::vector<std::string>;

constexpr const char* kDefaultApi = "https://localhost:5665";
constexpr const char* kDefaultCa = "/var/lib/icinga2/certs/ca.crt";

po::options_description describe() {
  po::options_description d("Options");
  auto str = [] { return po::value<std::string>(); };
  d.add_options()("help,h", "Print this help and exit (state UNKNOWN)")(
      "version,V", "Print the version and exit")("verbose,v",
                                                 "Trace the API request (the password shows as [redacted])")(
      "api-url", str(),
      "The Icinga 2 API of this master, https://NODE:5665 (default: https://localhost:5665)")(
      "api-address", str(),
      "Connect to this address instead of the URL's host; the API's certificate is still checked against the "
      "URL's host (the node name)")("api-user", str(),
                                    "The ApiUser (objects/query/Service on those services)")(
      "api-password-file", str(), "The ApiUser's password, on the first line of FILE")(
      "ca-cert", str(),
      "The Icinga 2 CA that signed the API's certificate (default: /var/lib/icinga2/certs/ca.crt)")(
      "service", po::value<Strings>()->composing(),
      "A vantage: the probewise service HOST!SERVICE of one zone or agent; repeat for each")(
      "filter", str(),
      "The vantages as an Icinga 2 filter over the services, e.g. "
      "'service.vars.probewise_endpoint == \"api\"'")(
      "vantage-quorum", po::value<int>(),
      "How many vantages must fail on the network path for CRITICAL (default: all of them)")(
      "timeout,t", po::value<int>(), "Seconds for the API request (default: 10)")("output-format", str(),
                                                                                  "nagios (default) or json")(
      "state-dir", str(), "Where the last results are kept, for change detection")(
      "state-key", str(), "Name this comparison's state (default: derived from the API and the filter)")(
      "no-state", "Do not remember results (no change detection)");
  return d;
}

Error bad(const std::string& option, const std::string& why) {
  return Error{"invalid value for " + option + ": " + why};
}

}  // namespace

std::string compare_help_text() {
  std::ostringstream out;
  out << "check_probewise_compare - one endpoint, several vantages, on an Icinga 2 master\n\n"
      << "Reads the last results of the probewise services that check one endpoint from\n"
      << "several zones or agents (from the master's REST API), and gives the verdict of\n"
      << "all of them, as check_probewise --vantage does: a refusal from some and an\n"
      << "answer from others is an IP allowlist or geo rule, not an outage. A result older\n"
      << "than twice its check interval is stale: UNKNOWN for that vantage, never down.\n\n"
      << "Usage: check_probewise_compare --api-user USER --api-password-file FILE\n"
      << "       (--service HOST!SERVICE ... | --filter EXPRESSION) [--api-url URL]\n"
      << "       [--api-address ADDRESS] [--ca-cert FILE] [--vantage-quorum N]\n\n"
      << describe() << "\n"
      << "A vantage is named by the service's vars.probewise_vantage, else its\n"
      << "command_endpoint, else its host.\n";
  return out.str();
}

Expected<CompareConfig> parse_compare_options(const std::vector<std::string>& args) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args)
                  .options(describe())
                  .style(po::command_line_style::default_style & ~po::command_line_style::allow_guessing)
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return Error{e.what()};
  }
  CompareConfig c;
  if (vm.count("help")) {
    c.action = CompareConfig::Action::help;
    return c;
  }
  if (vm.count("version")) {
    c.action = CompareConfig::Action::version;
    return c;
  }
  auto get = [&](const char* name, const std::string& fallback = "") {
    return vm.count(name) ? vm[name].as<std::string>() : fallback;
  };
  RequestSpec& api = c.job.api;
  api.url = get("api-url", kDefaultApi);
  if (!valid_url(api.url) || api.url.rfind("https://", 0) != 0)
    return bad("--api-url", "'" + api.url + "' is not an https:// URL");
  api.connect_host = get("api-address");
  if (!api.connect_host.empty())
    if (auto origin = origin_of(api.url)) api.connect_port = origin->port;
  api.verify_peer = api.verify_host = true;
  api.ca_file = get("ca-cert", kDefaultCa);
  api.user_agent = "check_probewise_compare (probewise)";
  api.max_body_bytes = 16 << 20;
  const std::string user = get("api-user");
  c.password_file = get("api-password-file");
  if (user.empty() || c.password_file.empty())
    return Error{"--api-user and --api-password-file are needed to read the Icinga 2 API"};
  if (user.find_first_of(":\r\n") != std::string::npos)
    return bad("--api-user", "':' or a line break in the name");
  api.basic_auth = user + ":";  // the password is added from its file
  if (vm.count("service")) {
    const auto services = vm["service"].as<Strings>();
    for (const auto& s : services)
      if (s.find('!') == std::string::npos || s.front() == '!' || s.back() == '!')
        return bad("--service", "'" + s + "' (expected HOST!SERVICE)");
    c.job.filter = icinga_service_filter(services);
  }
  if (vm.count("filter")) {
    if (!c.job.filter.empty()) return Error{"give --service or --filter, not both"};
    c.job.filter = get("filter");
    if (c.job.filter.empty()) return bad("--filter", "empty");
  }
  if (c.job.filter.empty()) return Error{"the vantages: give --service HOST!SERVICE (repeated) or --filter"};
  if (vm.count("vantage-quorum")) {
    c.job.rule.quorum = vm["vantage-quorum"].as<int>();
    if (c.job.rule.quorum < 1)
      return bad("--vantage-quorum", std::to_string(c.job.rule.quorum) + " (expected 1 or more)");
  }
  if (vm.count("timeout")) {
    c.timeout_seconds = vm["timeout"].as<int>();
    if (c.timeout_seconds < 1 || c.timeout_seconds > 3600)
      return bad("-t/--timeout", std::to_string(c.timeout_seconds));
  }
  api.timeout_ms = c.timeout_seconds * 1000L;
  const std::string format = get("output-format", "nagios");
  if (format != "nagios" && format != "json")
    return bad("--output-format", "'" + format + "' (expected nagios or json)");
  c.json = format == "json";
  c.verbosity = vm.count("verbose") ? 1 : 0;
  api.verbosity = c.verbosity;
  c.job.state.enabled = !vm.count("no-state");
  c.job.state.dir = get("state-dir");
  c.job.state.key = get("state-key");
  if (!c.job.state.dir.empty() && c.job.state.dir.front() != '/')
    return bad("--state-dir", "'" + c.job.state.dir + "' is not an absolute path");
  return c;
}

}  // namespace probewise
