// SPDX-License-Identifier: GPL-2.0-or-later
// Current upstream check_curl's output formats (monitoring-plugins 3.x,
// lib/output.c): a check is a tree of subchecks, each with a state, an
// output and perfdata. `multi-line` prints "[STATE] - summary" and one
// indented "\_[STATE] - output" line per subcheck, the perfdata after a
// '|' at the end; `mp-test-json` prints the same tree as one JSON object
// (and the check exits 0, for test harnesses).
#include <nlohmann/json.hpp>

#include <cstdio>

#include "judge/reason.h"
#include "output/perfdata.h"
#include "output/printable.h"
#include "output/render.h"

namespace probewise {
namespace {

using json = nlohmann::json;

struct Subcheck {
  State state = State::ok;
  std::string output;
  std::vector<PerfValue> perfdata;
  std::vector<Subcheck> children;
};

std::string seconds_text(std::int64_t us) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%f", static_cast<double>(us) / 1e6);
  return buf;
}

State slow_state(const Verdict& v) {
  for (const auto& f : v.findings)
    if (f.reason == "slow") return f.state;
  return State::ok;
}

// The answer (or the transport failure), each finding with words, the
// response time with its perfdata, and the diagnosis when not OK.
Subcheck request_subcheck(const ProbeResult& r, const Verdict& v, const Policy& p, const RenderOptions& o) {
  Subcheck test{v.state, "Testing " + (p.display_url.empty() ? r.url : p.display_url), {}, {}};
  if (r.has_answer()) {
    char tail[96];
    std::snprintf(tail, sizeof tail, " - %llu bytes in %.3f second response time",
                  static_cast<unsigned long long>(r.header_bytes) + r.body_bytes,
                  static_cast<double>(r.timings.total_us) / 1e6);
    test.children.push_back({State::ok, r.status_line + tail, {}, {}});
  } else if (r.transport != Transport::ok) {
    test.children.push_back(
        {v.state, "cURL returned " + std::to_string(r.curl_code) + " - " + r.error, {}, {}});
  }
  for (const auto& f : v.findings)
    if (!f.message.empty() && f.reason != "slow") test.children.push_back({f.state, f.message, {}, {}});
  if (r.has_answer()) {
    auto perf = check_perfdata(r, p, o.extended_perfdata);
    if (v.health)
      for (auto& extra : health_perfdata(*v.health)) perf.push_back(std::move(extra));
    test.children.push_back({slow_state(v),
                             "Total connection time: " + seconds_text(r.timings.total_us) + "s",
                             std::move(perf),
                             {}});
  }
  if (v.state != State::ok) {
    std::string words = "Reason: " + v.reason + " (" + reason_words(v.reason, v.basis) + "), basis " +
                        std::string(basis_name(v.basis));
    for (const auto& h : v.hints) words += "\nHint: " + h;
    for (const auto& e : v.evidence) words += "\nEvidence: " + e;
    test.children.push_back({v.state, words, {}, {}});
  }
  for (const auto& note : v.notes) test.children.push_back({State::ok, "Note: " + note, {}, {}});
  return test;
}

// The summary is what the status line says after "HTTP STATE: ".
std::string summary_of(const ProbeResult& r, const Verdict& v, const RenderOptions& o) {
  std::string line = status_line(r, v, o);
  const std::string state(state_name(v.state));
  for (const std::string& prefix : {"HTTP " + state + ": ", "HTTP " + state + " - ", state + " - "})
    if (line.compare(0, prefix.size(), prefix) == 0) return line.substr(prefix.size());
  return line;
}

void append_lines(const Subcheck& s, unsigned depth, std::string& out, std::vector<PerfValue>& perf) {
  const std::string indent(depth, '\t');
  std::string text = s.output;
  // Continuation lines of a multi-line output sit one level deeper.
  for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + depth + 2))
    text.insert(at + 1, std::string(depth + 1, '\t'));
  out += "\n" + indent + "\\_[" + std::string(state_name(s.state)) + "] - " + text;
  perf.insert(perf.end(), s.perfdata.begin(), s.perfdata.end());
  for (const auto& c : s.children) append_lines(c, depth + 1, out, perf);
}

json value_json(double value, bool integer) {
  char buf[64];
  if (integer)
    std::snprintf(buf, sizeof buf, "%ld", static_cast<long>(value));
  else
    std::snprintf(buf, sizeof buf, "%f", value);
  return {{"type", integer ? "int" : "double"}, {"value", buf}};
}

// A threshold X is the range 0..X, alerting outside it.
json range_json(double end, bool integer) {
  return {{"alert_on_inside", false}, {"start", value_json(0, integer)}, {"end", value_json(end, integer)}};
}

json perf_json(const PerfValue& v) {
  json j = {{"label", v.label}, {"value", value_json(v.value, v.integer)}, {"uom", v.uom}};
  if (v.warn) j["warn"] = range_json(*v.warn, v.integer);
  if (v.crit) j["crit"] = range_json(*v.crit, v.integer);
  if (v.min) j["min"] = value_json(*v.min, v.integer);
  if (v.max) j["max"] = value_json(*v.max, v.integer);
  return j;
}

json subcheck_json(const Subcheck& s) {
  json j = {{"output", s.output}, {"state", std::string(state_name(s.state))}};
  if (!s.perfdata.empty()) {
    json perf = json::array();
    for (const auto& v : s.perfdata) perf.push_back(perf_json(v));
    j["perfdata"] = perf;
  }
  if (!s.children.empty()) {
    json children = json::array();
    for (const auto& c : s.children) children.push_back(subcheck_json(c));
    j["checks"] = children;
  }
  return j;
}

// A run from several vantages (SPEC 1.7): one subcheck per vantage (its own
// request subcheck, its perfdata labelled with the vantage's name), then the
// combined verdict's reason.
Subcheck vantages_tree(const VantagesResult& r, const Policy& p, const RenderOptions& o) {
  const CombinedVerdict& c = r.combined;
  Subcheck top{c.state, "Testing from " + std::to_string(r.vantages.size()) + " vantages", {}, {}};
  for (const auto& v : r.vantages) {
    const VantageSeen& s = v.seen;
    Subcheck one{s.ran ? s.state : State::unknown, s.name + " (" + s.via + ")", {}, {}};
    if (!s.ran) {
      one.children.push_back({State::unknown, (s.stale ? "Stale: " : "Could not run: ") + s.why_not, {}, {}});
    } else {
      Subcheck request = request_subcheck(v.result, v.verdict, p, o);
      for (auto& child : request.children)
        for (auto& value : child.perfdata) value.label += "_" + s.name;
      one.children = std::move(request.children);
    }
    top.children.push_back(std::move(one));
  }
  if (c.state != State::ok) {
    std::string words = "Reason: " + c.reason + " (" + reason_words(c.reason, c.basis) + "), basis " +
                        std::string(basis_name(c.basis));
    for (const auto& h : c.hints) words += "\nHint: " + h;
    top.children.push_back({c.state, words, {}, {}});
  }
  if (r.change) top.children.push_back({State::ok, "Change: " + r.change->message, {}, {}});
  for (const auto& note : r.notes) top.children.push_back({State::ok, "Note: " + note, {}, {}});
  return top;
}

// The lines before it (a -v trace), "[STATE] - summary", the tree's lines,
// "|perfdata": the text before the '|' has none, is redacted and printable;
// the perfdata is ours alone.
std::string multi_line(const std::string& before, State state, const std::string& summary,
                       const Subcheck& tree, const SecretRegistry* secrets) {
  std::string text = "[" + std::string(state_name(state)) + "] - " + summary;
  std::vector<PerfValue> perf;
  append_lines(tree, 1, text, perf);
  for (char& c : text)
    if (c == '|') c = ' ';
  std::string out = printable_text(redact(before + text, secrets));
  if (!perf.empty()) out += "|" + format_perfdata(perf);
  return out + "\n";
}

std::string mp_test_json(State state, const std::string& summary, const Subcheck& tree,
                         const SecretRegistry* secrets) {
  json j = {{"state", std::string(state_name(state))},
            {"summary", summary},
            {"checks", json::array({subcheck_json(tree)})}};
  return redact(j.dump(-1, ' ', false, json::error_handler_t::replace), secrets) + "\n";
}

}  // namespace

std::string render_vantages_multi_line(const VantagesResult& r, const Policy& p, const RenderOptions& o) {
  std::string out;
  if (o.verbosity >= 1)
    for (const auto& v : r.vantages)
      for (const auto& line : v.result.trace) out += "[" + v.seen.name + "] " + line + "\n";
  return multi_line(out, r.combined.state, r.combined.summary, vantages_tree(r, p, o), o.secrets);
}

std::string render_vantages_mp_test_json(const VantagesResult& r, const Policy& p, const RenderOptions& o) {
  return mp_test_json(r.combined.state, r.combined.summary, vantages_tree(r, p, o), o.secrets);
}

std::string render_multi_line(const ProbeResult& r, const Verdict& v, const Policy& p,
                              const RenderOptions& o) {
  std::string out;
  if (o.verbosity >= 1)
    for (const auto& line : r.trace) out += line + "\n";
  return multi_line(out, v.state, summary_of(r, v, o), request_subcheck(r, v, p, o), o.secrets);
}

std::string render_mp_test_json(const ProbeResult& r, const Verdict& v, const Policy& p,
                                const RenderOptions& o) {
  return mp_test_json(v.state, summary_of(r, v, o), request_subcheck(r, v, p, o), o.secrets);
}

}  // namespace probewise
