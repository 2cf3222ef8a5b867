// SPDX-License-Identifier: GPL-2.0-or-later
#include "secrets/secret_registry.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <utility>

#include "base/base64.h"
#include "base/text.h"
#include "secrets/redact.h"

namespace probewise {
namespace {

constexpr std::size_t kMinLength = 4;          // shorter: not redacted by value
constexpr std::size_t kWordBelow = 8;          // shorter: only as a word of its own
constexpr std::size_t kMinShownPrefix = 4;     // of a secret cut short by "..."
constexpr std::size_t kFilterBits = 1u << 16;  // bits of the four-byte prefilter

char fold(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string folded(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = fold(c);
  return out;
}

std::uint32_t key_at(std::string_view text, std::size_t at) {
  std::uint32_t key = 0;
  for (std::size_t i = 0; i < 4; ++i) key = key << 8 | static_cast<unsigned char>(fold(text[at + i]));
  return key;
}

std::size_t filter_bit(std::uint32_t key) {
  return (key * 2654435761u) >> 16;
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// --- the forms a secret is repeated in ---------------------------------------

bool unreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// Percent-encoding (RFC 3986) of all but the unreserved characters, and of
// all but those and `keep`; `plus`: a space as '+' (HTML forms).
std::string percent_encoded(std::string_view s, std::string_view keep, bool plus) {
  std::string out;
  char hex[4];
  for (unsigned char c : s) {
    if (unreserved(c) || keep.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else if (plus && c == ' ') {
      out += '+';
    } else {
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

// The code point of the UTF-8 sequence at s[i] (advancing i past it), or
// nothing for a byte that starts none.
std::optional<std::uint32_t> code_point(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
  if (length == 0 || i + length > s.size()) return std::nullopt;
  std::uint32_t cp = c & (0x7f >> length);
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(s[i + k]);
    if ((next & 0xc0) != 0x80) return std::nullopt;
    cp = cp << 6 | (next & 0x3f);
  }
  i += length - 1;
  return cp;
}

// As a JSON string holds it; `slash`: with "\/", as PHP's json_encode
// writes; `ascii`: every other character as \uXXXX, as Python's json.dumps
// writes by default.
std::string json_escaped(std::string_view s, bool slash, bool ascii) {
  std::string out;
  char hex[16];
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\' || (slash && c == '/')) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      std::snprintf(hex, sizeof hex, "\\u%04x", c);
      out += hex;
    } else if (c >= 0x80 && ascii) {
      const auto cp = code_point(s, i);
      if (!cp) {
        out += static_cast<char>(c);
      } else if (*cp < 0x10000) {
        std::snprintf(hex, sizeof hex, "\\u%04x", static_cast<unsigned>(*cp));
        out += hex;
      } else {  // a surrogate pair
        const std::uint32_t v = *cp - 0x10000;
        std::snprintf(hex, sizeof hex, "\\u%04x\\u%04x", static_cast<unsigned>(0xd800 + (v >> 10)),
                      static_cast<unsigned>(0xdc00 + (v & 0x3ff)));
        out += hex;
      }
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// As HTML text or an attribute holds it; `apostrophe`: how ' is written.
std::string html_escaped(std::string_view s, std::string_view apostrophe) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += apostrophe; break;
      default: out += c;
    }
  }
  return out;
}

void add_patterns(std::string_view secret, std::vector<std::string>& out) {
  if (secret.size() < kMinLength) return;
  const std::string forms[] = {
      std::string(secret),
      percent_encoded(secret, "", false),
      percent_encoded(secret, "", true),
      percent_encoded(secret, "/", false),
      json_escaped(secret, false, false),
      json_escaped(secret, true, false),
      json_escaped(secret, false, true),
      html_escaped(secret, "&#39;"),
      html_escaped(secret, "&#x27;"),
  };
  for (const auto& form : forms) {
    std::string f = folded(form);
    if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(std::move(f));
  }
}

}  // namespace

void SecretRegistry::put(const std::string& source, std::vector<std::string> secrets) {
  store(source, std::move(secrets), true);
}

void SecretRegistry::add(const std::string& source, std::vector<std::string> secrets) {
  store(source, std::move(secrets), false);
}

void SecretRegistry::store(const std::string& source, std::vector<std::string> secrets, bool replace) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = sources_.find(source);
  if (found != sources_.end() && replace && found->second.first == secrets) return;
  if (found == sources_.end()) found = sources_.emplace(source, decltype(sources_)::mapped_type{}).first;
  auto& [held, patterns] = found->second;
  if (replace) {
    stale_ = stale_ || !patterns.empty();
    held.clear();
    patterns.clear();
  }
  std::vector<std::string> forms;
  for (auto& secret : secrets) {
    forms.clear();
    add_patterns(secret, forms);
    for (auto& form : forms) patterns.push_back(Pattern{std::move(form), secret.size() < kWordBelow});
    stale_ = stale_ || !forms.empty();
    held.push_back(std::move(secret));
  }
}

bool SecretRegistry::empty() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stale_) rebuild();
  return patterns_.empty();
}

void SecretRegistry::rebuild() const {
  patterns_.clear();
  for (const auto& [source, entry] : sources_)
    patterns_.insert(patterns_.end(), entry.second.begin(), entry.second.end());
  // By the first four bytes, longest first (the longest match wins); the
  // same form from several sources once, as a word only if all were short.
  std::sort(patterns_.begin(), patterns_.end(), [](const Pattern& a, const Pattern& b) {
    const std::uint32_t ka = key_at(a.folded, 0), kb = key_at(b.folded, 0);
    if (ka != kb) return ka < kb;
    if (a.folded.size() != b.folded.size()) return a.folded.size() > b.folded.size();
    if (a.folded != b.folded) return a.folded < b.folded;
    return a.whole_word < b.whole_word;
  });
  patterns_.erase(std::unique(patterns_.begin(), patterns_.end(),
                              [](const Pattern& a, const Pattern& b) { return a.folded == b.folded; }),
                  patterns_.end());
  keys_.clear();
  filter_.assign(patterns_.empty() ? 0 : kFilterBits / 64, 0);
  for (const auto& p : patterns_) {
    const std::uint32_t key = key_at(p.folded, 0);
    keys_.push_back(key);
    filter_[filter_bit(key) / 64] |= std::uint64_t{1} << (filter_bit(key) % 64);
  }
  stale_ = false;
}

std::string SecretRegistry::by_value(std::string_view text) const {
  Redactor out(text);
  auto ellipsis_at = [&text](std::size_t at) {
    return text.compare(at, 3, "...") == 0 || text.compare(at, 3, "\xE2\x80\xA6") == 0;
  };
  for (std::size_t i = 0; i + kMinLength <= text.size();) {
    const std::uint32_t key = key_at(text, i);
    const std::size_t bit = filter_bit(key);
    std::size_t matched = 0;
    if (filter_[bit / 64] & (std::uint64_t{1} << (bit % 64))) {
      const auto range = std::equal_range(keys_.begin(), keys_.end(), key);
      for (auto k = range.first; k != range.second && matched == 0; ++k) {
        const Pattern& p = patterns_[static_cast<std::size_t>(k - keys_.begin())];
        std::size_t same = 4;
        while (same < p.folded.size() && i + same < text.size() && fold(text[i + same]) == p.folded[same])
          ++same;
        if (same == p.folded.size()) {
          const bool alone = (i == 0 || !is_word_char(text[i - 1])) &&
                             (i + same == text.size() || !is_word_char(text[i + same]));
          if (!p.whole_word || alone) matched = same;
        } else if (same >= kMinShownPrefix && !p.whole_word && ellipsis_at(i + same)) {
          matched = same;  // an excerpt cut the secret short: what shows of it
        }
      }
    }
    if (matched > 0) {
      out.replace(i, i + matched);
      i += matched;
    } else {
      ++i;
    }
  }
  return std::move(out).finish();
}

std::string SecretRegistry::redact(std::string_view text) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stale_) rebuild();
    if (!patterns_.empty()) return redact_text(by_value(text));
  }
  return redact_text(text);
}

std::string redact(std::string_view text, const SecretRegistry* secrets) {
  return secrets ? secrets->redact(text) : redact_text(text);
}

std::vector<std::string> basic_secrets(std::string_view user_password) {
  std::vector<std::string> out;
  const auto colon = user_password.find(':');
  if (colon != std::string_view::npos) out.emplace_back(user_password.substr(colon + 1));
  out.emplace_back(user_password);
  out.push_back(base64_encode(user_password));
  return out;
}

std::vector<std::string> header_secrets(std::string_view line) {
  std::vector<std::string> out;
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return out;
  const std::string_view value = trim(line.substr(colon + 1));
  if (value.empty()) return out;
  out.emplace_back(value);
  // "Scheme credentials": the credentials alone, as a server repeats them.
  std::string_view credentials = value;
  const auto space = value.find(' ');
  if (space != std::string_view::npos) {
    const std::string_view scheme = value.substr(0, space);
    credentials = trim(value.substr(space + 1));
    const bool word = std::all_of(scheme.begin(), scheme.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
    if (word && !credentials.empty()) out.emplace_back(credentials);
    if (word && iequals(scheme, "basic"))
      if (auto decoded = base64url_decode(credentials); decoded && decoded->find(':') != std::string::npos)
        for (auto& s : basic_secrets(*decoded)) out.push_back(std::move(s));
  }
  // Parameters: "a=1; session=x" (Cookie), "Digest ... response=\"x\"".
  for (std::size_t start = 0; start < credentials.size();) {
    std::size_t end = credentials.find_first_of(",;", start);
    if (end == std::string_view::npos) end = credentials.size();
    const std::string_view item = trim(credentials.substr(start, end - start));
    const auto equals = item.find('=');
    if (equals != std::string_view::npos) {
      std::string_view v = trim(item.substr(equals + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      if (!v.empty() && v != credentials) out.emplace_back(v);
    }
    start = end + 1;
  }
  return out;
}

std::vector<std::string> form_secrets(std::string_view body) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start < body.size();) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view field = body.substr(start, end - start);
    const auto equals = field.find('=');
    if (equals != std::string_view::npos && is_secret_query_name(field.substr(0, equals))) {
      std::string value(field.substr(equals + 1));
      std::replace(value.begin(), value.end(), '+', ' ');
      out.push_back(percent_decoded(value));
    }
    start = end + 1;
  }
  return out;
}

std::vector<std::string> userinfo_secrets(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const std::string_view rest = url.substr(scheme_end + 3);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos || at == 0) return {};
  const std::string userinfo = percent_decoded(authority.substr(0, at));
  if (userinfo.find(':') == std::string::npos) return {userinfo};
  return basic_secrets(userinfo);
}

}  // namespace probewise
