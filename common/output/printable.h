// SPDX-License-Identifier: GPL-2.0-or-later
// Server text made printable before it reaches the plugin output (SPEC
// 1.6): a reason phrase, challenge, body excerpt or Location may carry '|'
// (which would start forged perfdata), line breaks (a forged status line)
// or terminal controls (ESC, BEL). Applied, with the redaction, to the
// whole Nagios output but for the perfdata, which is ours alone.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "secrets/secret_registry.h"

namespace probewise {

// One line: line breaks and tabs as spaces, other control characters (C0,
// DEL, C1) as '?', '|' as '/'.
std::string printable_line(std::string_view text);
// Several lines: the same, but LF stays (CR goes) and tabs stay.
std::string printable_text(std::string_view text);

// Where render_nagios() put the status line in its output: from `status`
// to `perfdata` (the text), then the perfdata to `after`.
struct NagiosLayout {
  std::size_t status = 0;
  std::size_t perfdata = 0;
  std::size_t after = 0;
};
// The output as it may be written: every secret redacted (by value with
// `secrets`, else by shape), the status line one printable line, the lines
// before and after it printable, the perfdata as it was made.
std::string written_output(const std::string& out, const NagiosLayout& layout, const SecretRegistry* secrets);

}  // namespace probewise
