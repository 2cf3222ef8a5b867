// SPDX-License-Identifier: GPL-2.0-or-later
#include "compare/rendered.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>

#include "base/text.h"
#include "judge/reason.h"

namespace probewise {
namespace {

// The line of the long output that starts with `label` ("Reason: "), up to " (".
std::string labelled(std::string_view output, std::string_view label) {
  for (auto line : split(output, '\n')) {
    if (!starts_with(line, label)) continue;
    line.remove_prefix(label.size());
    return std::string(trim(line.substr(0, line.find(" ("))));
  }
  return "";
}

// "HTTP/1.1 403 Forbidden - ...": the status and "403 Forbidden".
int status_in(std::string_view line, std::string& text) {
  for (auto at = line.find("HTTP/"); at != std::string_view::npos; at = line.find("HTTP/", at + 5)) {
    const auto space = line.find(' ', at);
    if (space == std::string_view::npos || space + 4 > line.size()) break;
    const std::string_view code = line.substr(space + 1, 3);
    const bool digits = std::all_of(code.begin(), code.end(),
                                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
    if (!digits || (space + 4 < line.size() && line[space + 4] != ' ')) continue;
    std::string_view rest = line.substr(space + 1);
    text = std::string(trim(rest.substr(0, rest.find(" - "))));
    return std::atoi(std::string(code).c_str());
  }
  return 0;
}

// The reason a status class gives when the output names none (check_curl, check_http).
std::string class_reason(int status, int state) {
  if (state == 0) return "ok";
  if (status == 403 || status == 451) return "forbidden.unspecified";
  if (status == 429) return "throttled";
  if (status >= 500) return "http.server_error";
  if (status >= 400) return "http.client_error";
  if (status >= 300) return "http.redirect";
  if (status > 0) return "http.unexpected_status";
  return "net.error";
}

// check_curl's tail " - 312 bytes in 0.004 second response time" and the
// "HTTP WARNING: " before: what stays is the verdict in words.
std::string middle_of(std::string_view line) {
  if (auto colon = line.find(": ");
      starts_with(line, "HTTP ") && colon != std::string_view::npos && colon < 20)
    line.remove_prefix(colon + 2);
  else if (auto dash = line.find(" - ");
           starts_with(line, "HTTP ") && dash != std::string_view::npos && dash < 20)
    line.remove_prefix(dash + 3);
  if (auto tail = line.rfind(" bytes in "); tail != std::string_view::npos)
    if (auto dash = line.rfind(" - ", tail); dash != std::string_view::npos) line = line.substr(0, dash);
  return std::string(trim(line));
}

}  // namespace

Basis parse_basis(std::string_view name) {
  static constexpr std::array<Basis, 6> kAll{Basis::explicit_, Basis::wording, Basis::local,
                                             Basis::presence,  Basis::status,  Basis::comparison};
  for (Basis b : kAll)
    if (basis_name(b) == name) return b;
  return Basis::status;
}

bool read_rendered(const RenderedResult& r, VantageSeen& seen) {
  const std::string_view output(r.output);
  std::string_view first = output.substr(0, output.find('\n'));
  first = trim(first.substr(0, first.find('|')));
  seen.state = r.state >= 0 && r.state <= 3 ? static_cast<State>(r.state) : State::unknown;
  seen.status = status_in(first, seen.status_text);
  seen.detail = middle_of(first);
  for (const auto& p : r.perfdata) {
    const std::string_view item = trim(p);
    if (!starts_with(item, "time=") && !starts_with(item, "'time'=")) continue;
    const std::string value(item.substr(item.find('=') + 1));
    char* end = nullptr;
    const double seconds = std::strtod(value.c_str(), &end);
    if (end != value.c_str()) seen.total_ms = seconds * 1000.0;
  }
  const std::string reason = labelled(output, "Reason: ");
  if (!reason.empty() && find_reason(reason)) {
    seen.reason = reason;
    seen.basis = parse_basis(labelled(output, "Basis: "));
    return true;
  }
  // No reason line: OK, or another HTTP check's verdict, or none at all.
  if (seen.state == State::unknown && seen.status == 0) {
    seen.ran = false;
    seen.reason = "ok";
    seen.why_not = std::string(first.empty() ? "no output" : first);
    return false;
  }
  seen.reason = class_reason(seen.status, r.state);
  seen.basis = Basis::status;
  return true;
}

}  // namespace probewise
