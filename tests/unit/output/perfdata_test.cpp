// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/perfdata.h"

#include <gtest/gtest.h>

namespace probewise {
namespace {

// Formats of monitoring-plugins' fperfdata()/perfdata() as check_curl prints them.
TEST(Perfdata, FloatAndIntegerForms) {
  EXPECT_EQ(format_perfdata(PerfValue{"time", 0.004123, "s", {}, {}, 0.0, 10.0}),
            "time=0.004123s;;;0.000000;10.000000");
  EXPECT_EQ(format_perfdata(PerfValue{"size", 312, "B", {}, {}, 0.0, {}, true}), "size=312B;;;0");
  EXPECT_EQ(format_perfdata(PerfValue{"time", 1.5, "s", 1.0, 2.0, 0.0, 10.0}),
            "time=1.500000s;1.000000;2.000000;0.000000;10.000000");
}

TEST(Perfdata, QuotesLabelsWithSpacesOrEquals) {
  EXPECT_EQ(format_perfdata(PerfValue{"a b", 1, "", {}, {}, {}, {}, true}), "'a b'=1;;;");
  EXPECT_EQ(format_perfdata(PerfValue{"a=b", 1, "", {}, {}, {}, {}, true}), "'a=b'=1;;;");
}

TEST(Perfdata, CheckLabelsAndThresholds) {
  ProbeResult r;
  r.timings = {100, 200, 300, 400, 500, 600, 2100};
  r.header_bytes = 100;
  r.body_bytes = 212;
  r.certificate = Certificate{};
  Policy p;
  p.time.warning = parse_range("1").value();
  p.time.critical = parse_range("2").value();
  p.timeout_seconds = 10;
  EXPECT_EQ(format_perfdata(check_perfdata(r, p, false)),
            "time=0.002100s;1.000000;2.000000;0.000000;10.000000 size=312B;;;0");
  std::string extended = format_perfdata(check_perfdata(r, p, true));
  EXPECT_NE(extended.find("time_connect=0.000300s;;;;10.000000"), std::string::npos) << extended;
  for (const char* label : {"time_ssl=0.000300s", "time_headers=0.000400s", "time_firstbyte=0.000500s",
                            "time_transfer=0.000600s"})
    EXPECT_NE(extended.find(label), std::string::npos) << label << " in " << extended;
}

TEST(Perfdata, NoTlsLabelOverPlainHttp) {
  ProbeResult r;
  Policy p;
  EXPECT_EQ(format_perfdata(check_perfdata(r, p, true)).find("time_ssl"), std::string::npos);
}

}  // namespace
}  // namespace probewise
