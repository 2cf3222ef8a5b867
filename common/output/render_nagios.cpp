// SPDX-License-Identifier: GPL-2.0-or-later
#include <cstdio>

#include "base/text.h"
#include "judge/reason.h"
#include "output/check_http_words.h"
#include "output/perfdata.h"
#include "output/printable.h"
#include "output/render.h"
#include "secrets/redact.h"

namespace probewise {
namespace {

// Both incumbents: "Status line output matched "200" - string 'x' not
// found on '...', page size 5 too small".
std::string joined_messages(const Verdict& v) {
  std::string out;
  std::size_t shown = 0;
  for (const auto& f : v.findings) {
    if (f.message.empty()) continue;
    if (shown > 0) out += shown == 1 && v.status_line_matched ? " - " : ", ";
    out += f.message;
    ++shown;
  }
  return out;
}

// check_http's words for a failed connection put a line of the socket
// layer's before the status line (check_http_words.h): all of it is ours,
// kept as lines; the last line is the status line.
std::size_t own_lines_before(const ProbeResult& r, const Verdict& v, const RenderOptions& o,
                             const std::string& line) {
  if (o.dialect != Dialect::check_http || !check_http_failure_lines(r, v, o)) return 0;
  const auto last = line.rfind('\n');
  return last == std::string::npos ? 0 : last + 1;
}

}  // namespace

std::string status_line(const ProbeResult& r, const Verdict& v, const RenderOptions& o) {
  const bool check_http = o.dialect == Dialect::check_http;
  if (check_http)
    if (auto lines = check_http_failure_lines(r, v, o)) return *lines;
  const std::string state(state_name(v.state));
  switch (v.shape) {
    case Shape::transport:
    case Shape::status_mismatch:
    case Shape::redirect_abort:
    case Shape::auth_failure: return "HTTP " + state + " - " + v.headline;
    case Shape::certificate: return state + " - " + v.headline;
    case Shape::http: break;
  }
  std::string msg = joined_messages(v);
  char tail[128];
  std::snprintf(tail, sizeof tail, " - %llu bytes in %.3f second response time",
                static_cast<unsigned long long>(r.header_bytes) + r.body_bytes,
                static_cast<double>(r.timings.total_us) / 1e6);
  // check_http prints the status line as it came, or only the matched -e.
  std::string head = r.http_version + " " + std::to_string(r.status) + " " + r.reason_phrase;
  if (check_http) head = v.status_line_matched ? "" : r.status_line;
  return "HTTP " + state + ": " + head + (msg.empty() ? "" : (head.empty() ? "" : " - ") + msg) + tail;
}

std::string render_nagios(const ProbeResult& r, const Verdict& v, const Policy& p, const RenderOptions& o) {
  std::string out;
  if (o.verbosity >= 1)
    for (const auto& line : r.trace) out += line + "\n";
  if (o.verbosity >= 2 && r.has_answer())
    out += "**** HEADER ****\n" + redact_response_headers(r.header_block) + "\n**** CONTENT ****\n" + r.body +
           "\n";

  NagiosLayout layout;
  const std::string line = status_line(r, v, o);
  const std::size_t own = own_lines_before(r, v, o, line);
  out.append(line, 0, own);
  layout.status = out.size();
  out.append(line, own);
  layout.perfdata = out.size();
  if (v.shape == Shape::http) {
    auto perf = check_perfdata(r, p, o.extended_perfdata);
    if (v.health)
      for (auto& extra : health_perfdata(*v.health)) perf.push_back(std::move(extra));
    out += " |" + format_perfdata(perf);
  }
  layout.after = out.size();
  out += "\n";
  if (o.show_body && r.has_answer()) out += r.body + "\n";

  if (v.health) {
    const HealthReport& h = *v.health;
    out += "Health (" + std::string(health_format_name(h.format)) + "): " + h.raw_status + "\n";
    for (const auto& c : h.components) {
      out += "- " + c.name + ": " + c.raw_status;
      if (c.observed_value) out += ", observed " + number_text(*c.observed_value) + c.observed_unit;
      if (!c.output.empty()) out += " (" + c.output + ")";
      out += "\n";
    }
    if (h.components_omitted > 0)
      out += "- (" + std::to_string(h.components_omitted) + " more components not shown)\n";
  }
  if (v.change && v.shape != Shape::http) out += "Change: " + v.change->message + "\n";
  for (const auto& note : v.notes) out += "Note: " + note + "\n";
  // check_curl's certificate-only answer is exactly one line; so is ours.
  if (v.state != State::ok && v.shape != Shape::certificate) {
    out += explanation_lines(v.reason, v.basis, v.reasons, v.hints);
    if (!v.evidence.empty()) {
      out += "Evidence:\n";
      for (const auto& e : v.evidence) out += "- " + e + "\n";
    }
  }
  return written_output(out, layout, o.secrets);
}

}  // namespace probewise
