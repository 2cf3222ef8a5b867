// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/perfdata.h"

#include <algorithm>
#include <cstdio>

namespace probewise {
namespace {

std::string number(double v, bool integer) {
  char buf[64];
  if (integer)
    std::snprintf(buf, sizeof buf, "%ld", static_cast<long>(v));
  else
    std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

double seconds(std::int64_t us) {
  return static_cast<double>(us) / 1e6;
}

}  // namespace

std::string format_perfdata(const PerfValue& v) {
  std::string out = v.label.find_first_of("'= ") != std::string::npos ? "'" + v.label + "'=" : v.label + "=";
  out += number(v.value, v.integer) + v.uom + ";";
  if (v.warn) out += number(*v.warn, v.integer);
  out += ";";
  if (v.crit) out += number(*v.crit, v.integer);
  out += ";";
  if (v.min) out += number(*v.min, v.integer);
  if (v.max) out += ";" + number(*v.max, v.integer);
  return out;
}

std::string format_perfdata(const std::vector<PerfValue>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : " ") + format_perfdata(v);
  return out;
}

std::vector<PerfValue> check_perfdata(const ProbeResult& r, const Policy& p, bool extended) {
  std::vector<PerfValue> out;
  PerfValue time{"time", seconds(r.timings.total_us), "s", {}, {}, 0.0, p.timeout_seconds};
  if (p.time.warning) time.warn = p.time.warning->end;
  if (p.time.critical) time.crit = p.time.critical->end;
  out.push_back(time);
  PerfValue size{"size", static_cast<double>(r.header_bytes + r.body_bytes), "B", {}, {}, 0.0, {}, true};
  if (p.min_size) {
    size.warn = static_cast<double>(*p.min_size);
    size.crit = 0;
  }
  out.push_back(size);
  if (!extended) return out;
  const Timings& t = r.timings;
  auto phase = [&](const char* label, std::int64_t us) {
    out.push_back({label, seconds(us), "s", {}, {}, {}, p.timeout_seconds});
  };
  phase("time_connect", t.dns_us + t.connect_us);
  if (r.certificate || t.tls_us > 0) phase("time_ssl", t.tls_us);
  phase("time_headers", t.headers_us);
  phase("time_firstbyte", t.ttfb_us);
  phase("time_transfer", t.transfer_us);
  return out;
}

std::vector<PerfValue> health_perfdata(const HealthReport& report) {
  static const std::vector<std::string> units{"s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c"};
  std::vector<PerfValue> out;
  for (const auto& c : report.components) {
    if (!c.observed_value) continue;
    PerfValue v;
    v.label = c.name;
    // The server's name for it: nothing that would end the label, the
    // perfdata or the line (SPEC 1.6: the perfdata is ours alone).
    std::replace_if(
        v.label.begin(), v.label.end(),
        [](char ch) {
          return ch == '\'' || ch == '|' || static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f;
        },
        '_');
    v.value = *c.observed_value;
    if (std::find(units.begin(), units.end(), c.observed_unit) != units.end()) v.uom = c.observed_unit;
    out.push_back(v);
    if (out.size() >= 50) break;
  }
  return out;
}

}  // namespace probewise
