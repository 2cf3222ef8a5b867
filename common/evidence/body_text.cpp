// SPDX-License-Identifier: GPL-2.0-or-later
#include "evidence/body_text.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <vector>

#include "base/text.h"

namespace probewise {
namespace {

constexpr std::size_t kWordingGap = 60;  // what "*" allows in a wording pattern
constexpr std::size_t kMaxFirstPartTries = 512;

constexpr std::string_view kSecretPrefixes[] = {
    "sk_live_",    "sk_test_", "rk_live_", "rk_test_", "ghp_",  "gho_",  "ghu_",   "ghs_",  "ghr_",
    "github_pat_", "xoxb-",    "xoxp-",    "xoxa-",    "xoxs-", "xapp-", "glpat-", "ya29.", "AIza"};

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/' || c == '=' || c == '_' ||
         c == '-' || c == '.' || c == '~';
}

bool looks_secret(std::string_view w) {
  if (w.size() >= 16 && starts_with(w, "eyJ")) return true;  // a JWT or base64 JSON
  for (auto p : kSecretPrefixes)
    if (w.size() >= p.size() + 4 && starts_with(w, p)) return true;
  bool upper = false, lower = false, digit = false, hex_only = true;
  for (char c : w) {
    auto u = static_cast<unsigned char>(c);
    upper |= std::isupper(u) != 0;
    lower |= std::islower(u) != 0;
    digit |= std::isdigit(u) != 0;
    hex_only &= std::isxdigit(u) != 0;
  }
  if (w.size() >= 24 && upper && lower && digit) return true;
  return w.size() >= 40 && hex_only;
}

}  // namespace

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from) {
  if (needle.empty() || hay.size() < needle.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i)
    if (iequals(hay.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

// ---------------------------------------------------------------------------
// Shared helpers.

namespace {

struct Entity {
  std::string_view name;
  char c;
};
constexpr Entity kEntities[] = {{"amp", '&'},   {"lt", '<'},     {"gt", '>'},     {"quot", '"'},
                                {"apos", '\''}, {"nbsp", ' '},   {"rsquo", '\''}, {"lsquo", '\''},
                                {"ldquo", '"'}, {"rdquo", '"'},  {"ndash", '-'},  {"mdash", '-'},
                                {"bull", ' '},  {"middot", ' '}, {"hellip", '.'}};

// Decodes the entity at s[0] == '&'; returns its length and character, or 0.
std::size_t decode_entity(std::string_view s, char& out) {
  auto semi = s.find(';');
  if (semi == std::string_view::npos || semi < 2 || semi > 10) return 0;
  std::string_view name = s.substr(1, semi - 1);
  if (name[0] == '#') {
    bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    std::uint32_t v = 0;
    for (char c : digits) {
      auto u = static_cast<unsigned char>(c);
      if (hex ? !std::isxdigit(u) : !std::isdigit(u)) return 0;
      v = v * (hex ? 16 : 10) +
          static_cast<std::uint32_t>(std::isdigit(u) ? c - '0' : (std::tolower(u) - 'a' + 10));
      if (v > 0x10FFFF) return 0;
    }
    if (v == 8216 || v == 8217) {
      out = '\'';
    } else if (v == 160) {
      out = ' ';
    } else if (v >= 32 && v < 127) {
      out = static_cast<char>(v);
    } else if (v == 9 || v == 10 || v == 13) {
      out = ' ';
    } else {
      return 0;
    }
    return semi + 1;
  }
  for (const auto& e : kEntities) {
    if (iequals(e.name, name)) {
      out = e.c;
      return semi + 1;
    }
  }
  return 0;
}

bool tag_named(std::string_view after_lt, std::string_view name) {
  return after_lt.size() > name.size() && iequals(after_lt.substr(0, name.size()), name) &&
         !is_word(after_lt[name.size()]);
}

}  // namespace

PageText page_text(std::string_view body, std::size_t max_bytes, bool strip_tags) {
  body = body.substr(0, std::min(body.size(), max_bytes));
  PageText out;
  out.cased.reserve(body.size());
  bool space = true;  // no leading space
  auto put = [&](char c) {
    if (is_space(c)) {
      if (!space) out.cased += ' ';
      space = true;
      return;
    }
    out.cased += c;
    space = false;
  };
  std::size_t i = 0;
  while (i < body.size()) {
    char c = body[i];
    if (strip_tags && c == '<' && i + 1 < body.size() &&
        (std::isalpha(static_cast<unsigned char>(body[i + 1])) || body[i + 1] == '/' || body[i + 1] == '!')) {
      std::string_view rest = body.substr(i + 1);
      std::size_t next;
      if (starts_with(rest, "!--")) {
        auto e = body.find("-->", i + 4);
        next = e == std::string_view::npos ? body.size() : e + 3;
      } else if (tag_named(rest, "script") || tag_named(rest, "style")) {
        std::string_view close = tag_named(rest, "script") ? "</script" : "</style";
        auto e = ifind(body, close, i + 1);
        auto gt = e == std::string_view::npos ? std::string_view::npos : body.find('>', e);
        next = gt == std::string_view::npos ? body.size() : gt + 1;
      } else {
        auto gt = body.find('>', i);
        next = gt == std::string_view::npos ? body.size() : gt + 1;
      }
      put(' ');
      i = next;
      continue;
    }
    if (c == '&') {
      char decoded = 0;
      if (std::size_t n = decode_entity(body.substr(i, 12), decoded)) {
        put(decoded);
        i += n;
        continue;
      }
    }
    // U+2018 / U+2019 (curly single quotes) as UTF-8.
    if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < body.size() &&
        static_cast<unsigned char>(body[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(body[i + 2]) == 0x98 ||
         static_cast<unsigned char>(body[i + 2]) == 0x99)) {
      put('\'');
      i += 3;
      continue;
    }
    put(c);
    ++i;
  }
  if (!out.cased.empty() && out.cased.back() == ' ') out.cased.pop_back();
  out.lower = to_lower(out.cased);
  return out;
}

namespace {

// The first occurrence of `part` in [from, max_start] that starts a word.
// It must end one too when it is short ("ip", not "ipsum") or ends in a digit
// (a code: "aadsts50001", not "aadsts500011"); longer words may go on
// ("permission" matches "permissions").
std::size_t find_part(std::string_view lower, std::string_view part, std::size_t from, std::size_t max_start,
                      std::size_t& tries) {
  bool word_front = is_word(part.front());
  bool word_back = is_word(part.back()) &&
                   (part.size() <= 3 || std::isdigit(static_cast<unsigned char>(part.back())) != 0);
  while (tries++ < kMaxFirstPartTries) {
    auto p = lower.find(part, from);
    if (p == std::string_view::npos || p > max_start) return std::string_view::npos;
    bool ok_front = !word_front || p == 0 || !is_word(lower[p - 1]);
    std::size_t end = p + part.size();
    bool ok_back = !word_back || end >= lower.size() || !is_word(lower[end]);
    if (ok_front && ok_back) return p;
    from = p + 1;
  }
  return std::string_view::npos;
}

WordingMatch find_alternative(std::string_view lower, std::string_view alt) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    auto star = alt.find('*', start);
    auto part = alt.substr(start, star == std::string_view::npos ? std::string_view::npos : star - start);
    if (!part.empty()) parts.push_back(part);
    if (star == std::string_view::npos) break;
    start = star + 1;
  }
  if (parts.empty()) return {};
  std::size_t tries = 0;
  std::size_t from = 0;
  while (tries < kMaxFirstPartTries) {
    auto first = find_part(lower, parts[0], from, std::string_view::npos, tries);
    if (first == std::string_view::npos) return {};
    std::size_t end = first + parts[0].size();
    bool all = true;
    for (std::size_t k = 1; k < parts.size(); ++k) {
      auto p = find_part(lower, parts[k], end, end + kWordingGap, tries);
      if (p == std::string_view::npos) {
        all = false;
        break;
      }
      end = p + parts[k].size();
    }
    if (all) return {first, end};
    from = first + 1;
  }
  return {};
}

}  // namespace

WordingMatch find_wording(std::string_view lower, std::string_view pattern) {
  WordingMatch best;
  for (std::size_t start = 0;;) {
    auto bar = pattern.find('|', start);
    auto alt = pattern.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    if (!alt.empty()) {
      WordingMatch m = find_alternative(lower, alt);
      if (m.found() && (!best.found() || m.begin < best.begin)) best = m;
    }
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return best;
}

std::string redact_secrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_token_char(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_token_char(text[j])) ++j;
    std::string_view word = text.substr(i, j - i);
    out += looks_secret(word) ? std::string_view("[redacted]") : word;
    i = j;
  }
  return out;
}

}  // namespace probewise
