// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/printable.h"

namespace probewise {
namespace {

std::string printable(std::string_view text, bool lines) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n' && lines) {
      out += '\n';
    } else if (c == '\r' && lines) {
      continue;  // CRLF line endings of a header block or body
    } else if (c == '\t') {
      out += lines ? '\t' : ' ';
    } else if (c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      out += ' ';
    } else if (c < 0x20 || c == 0x7f) {
      out += '?';
    } else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      out += '?';  // a C1 control in UTF-8 (CSI is one)
      ++i;
    } else if (c == '|') {
      out += '/';
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

std::string printable_line(std::string_view text) {
  return printable(text, false);
}

std::string printable_text(std::string_view text) {
  return printable(text, true);
}

std::string written_output(const std::string& out, const NagiosLayout& layout,
                           const SecretRegistry* secrets) {
  const std::string_view all(out);
  return printable_text(redact(all.substr(0, layout.status), secrets)) +
         printable_line(redact(all.substr(layout.status, layout.perfdata - layout.status), secrets)) +
         std::string(all.substr(layout.perfdata, layout.after - layout.perfdata)) +
         printable_text(redact(all.substr(layout.after), secrets));
}

}  // namespace probewise
