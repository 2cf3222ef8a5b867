// SPDX-License-Identifier: GPL-2.0-or-later
// The Nagios output of a run from several vantages (SPEC 1.7).
#include <algorithm>
#include <cstdio>

#include "base/text.h"
#include "judge/reason.h"
#include "output/perfdata.h"
#include "output/printable.h"
#include "output/render.h"

namespace probewise {
namespace {

double seconds(std::int64_t us) {
  return static_cast<double>(us) / 1e6;
}

std::string seconds_text(std::int64_t us) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", seconds(us));
  return text;
}

// check_curl's `time` over the whole run (the slowest vantage), `size` of the
// largest answer, then time_NAME for each vantage that ran.
std::vector<PerfValue> vantage_perfdata(const VantagesResult& r, const Policy& p) {
  std::int64_t longest = 0;
  std::uint64_t largest = 0;
  for (const auto& v : r.vantages) {
    longest = std::max(longest, v.result.timings.total_us);
    largest = std::max(largest, v.result.header_bytes + v.result.body_bytes);
  }
  PerfValue time{"time", seconds(longest), "s", {}, {}, 0.0, p.timeout_seconds};
  if (p.time.warning) time.warn = p.time.warning->end;
  if (p.time.critical) time.crit = p.time.critical->end;
  std::vector<PerfValue> out{time, {"size", static_cast<double>(largest), "B", {}, {}, 0.0, {}, true}};
  for (const auto& v : r.vantages) {
    if (!v.seen.ran) continue;
    PerfValue t = time;
    t.label = "time_" + v.seen.name;
    t.value = seconds(v.result.timings.total_us);
    out.push_back(t);
  }
  return out;
}

// "- eu1 (source 192.0.2.10): WARNING, 403 Forbidden, forbidden.unspecified (forbidden, cause unknown), 0.003
// s"
std::string vantage_line(const VantageResult& v) {
  const VantageSeen& s = v.seen;
  std::string line = "- " + s.name + " (" + s.via + "): ";
  if (!s.ran) return line + (s.stale ? "stale: " : "could not run: ") + s.why_not;
  line += std::string(state_name(s.state)) + ", " + (s.status_text.empty() ? "no answer" : s.status_text);
  if (s.state != State::ok) {
    // A transport failure's own words are libcurl's long message: the evidence has it.
    const bool transport = starts_with(s.reason, "net.") || starts_with(s.reason, "tls.");
    line +=
        ", " + s.reason + ": " + (transport || s.detail.empty() ? reason_words(s.reason, s.basis) : s.detail);
  }
  line += ", " + seconds_text(v.result.timings.total_us);
  // What an OK answer still says (-C: the certificate's expiry).
  if (s.state == State::ok && !s.detail.empty()) line += "; " + s.detail;
  if (v.verdict.change) line += "; " + v.verdict.change->message;
  return line;
}

}  // namespace

std::string explanation_lines(const std::string& reason, Basis basis, const std::vector<std::string>& reasons,
                              const std::vector<std::string>& hints) {
  std::string out = "Reason: " + reason + " (" + reason_words(reason, basis) + ")\n";
  out += "Basis: " + std::string(basis_name(basis)) + " (" + std::string(basis_words(basis)) + ")\n";
  if (reasons.size() > 1) {
    out += "Also:";
    for (std::size_t i = 1; i < reasons.size(); ++i) out += " " + reasons[i];
    out += "\n";
  }
  if (!hints.empty()) {
    out += "Hints:\n";
    for (const auto& h : hints) out += "- " + h + "\n";
  }
  return out;
}

std::string render_vantages_nagios(const VantagesResult& r, const Policy& p, const RenderOptions& o) {
  const CombinedVerdict& c = r.combined;
  std::string out;
  if (o.verbosity >= 1)
    for (const auto& v : r.vantages)
      for (const auto& line : v.result.trace) out += "[" + v.seen.name + "] " + line + "\n";
  NagiosLayout layout;
  layout.status = out.size();
  out += "HTTP " + std::string(state_name(c.state)) + ": " + c.summary;
  if (r.change) out += " - " + r.change->message;
  layout.perfdata = out.size();
  out += " |" + format_perfdata(vantage_perfdata(r, p));
  layout.after = out.size();
  out += "\n";
  out += "Vantages:\n";
  for (const auto& v : r.vantages) out += vantage_line(v) + "\n";
  for (const auto& note : r.notes) out += "Note: " + note + "\n";
  if (c.state != State::ok) {
    out += explanation_lines(c.reason, c.basis, c.reasons, c.hints);
    std::string evidence;
    for (const auto& v : r.vantages) {
      if (v.seen.ran && v.seen.state == State::ok) continue;
      const auto& own = v.verdict.evidence;
      const bool said = std::any_of(own.begin(), own.end(), [&](const std::string& e) {
        return e.find(v.seen.detail) != std::string::npos;
      });
      if (!v.seen.detail.empty() && !said) evidence += "- " + v.seen.name + ": " + v.seen.detail + "\n";
      for (const auto& e : v.verdict.evidence) evidence += "- " + v.seen.name + ": " + e + "\n";
    }
    if (!evidence.empty()) out += "Evidence:\n" + evidence;
  }
  return written_output(out, layout, o.secrets);
}

}  // namespace probewise
