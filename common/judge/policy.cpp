// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/policy.h"

#include <regex.h>

namespace probewise {

int regex_flags(const RegexExpectation& rx) {
  return REG_EXTENDED | REG_NOSUB | (rx.icase ? REG_ICASE : 0) | (rx.linespan ? 0 : REG_NEWLINE);
}

std::string regex_error(const RegexExpectation& rx) {
  regex_t re;
  const int err = regcomp(&re, rx.pattern.c_str(), regex_flags(rx));
  if (err == 0) {
    regfree(&re);
    return "";
  }
  char msg[256];
  regerror(err, &re, msg, sizeof msg);
  return msg;
}

}  // namespace probewise
