// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: what every writer does to hostile server text (SPEC
// 1.6). The input's first line is a secret to register, the rest the text
// a server sent. Promises: a secret of 8 or more characters (without the
// brackets of "[redacted]") never shows in the output in any letter case;
// the URL redaction and the printable forms never crash; a printable line
// holds no control character and no '|'.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "output/printable.h"
#include "secrets/redact.h"
#include "secrets/secret_registry.h"

using probewise::fuzz::require;

namespace {

std::string folded(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const std::string_view secret = input.substr(0, newline);
  const std::string_view text =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  probewise::SecretRegistry secrets;
  secrets.put("fuzz", {std::string(secret)});
  const std::string shown = secrets.redact(text);
  if (secret.size() >= 8 && secret.find_first_of("[]") == std::string_view::npos)
    require(folded(shown).find(folded(secret)) == std::string::npos);
  (void)probewise::redact_text(text);
  (void)probewise::redact_response_headers(text);
  const std::string line = probewise::printable_line(shown);
  for (char c : line) require(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f && c != '|');
  const std::string lines = probewise::printable_text(shown);
  for (char c : lines)
    require(c == '\n' || c == '\t' || (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f));
  return 0;
}
