// SPDX-License-Identifier: GPL-2.0-or-later
#include "evidence/auth_challenge.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "base/text.h"
#include "evidence/wording.h"

namespace probewise {
namespace {

// ---- parsing (RFC 9110 11.2, 11.6.1) ----

bool is_ws(char c) {
  return c == ' ' || c == '\t';
}

bool is_tchar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (std::isalnum(u)) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token68_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || std::string_view("-._~+/").find(c) != std::string_view::npos;
}

// A position in one header value; every read moves it forward or leaves it.
struct Cursor {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i >= s.size(); }
  char at(std::size_t k) const { return k < s.size() ? s[k] : '\0'; }
  bool list_end(std::size_t k) const { return k >= s.size() || s[k] == ','; }
  std::size_t skip_ws(std::size_t k) const { return run(k, is_ws); }
  template <class Pred>
  std::size_t run(std::size_t k, Pred pred) const {
    while (k < s.size() && pred(s[k])) ++k;
    return k;
  }
};

std::string capped(std::string_view s) {
  return std::string(s.substr(0, kMaxChallengeValue));
}

// At an opening quote: the unescaped content. An unterminated string runs to
// the end of the value (servers that cut headers short send these).
std::string read_quoted(Cursor& c) {
  std::string out;
  ++c.i;
  while (!c.done()) {
    char ch = c.s[c.i++];
    if (ch == '"') break;
    if (ch == '\\' && !c.done()) ch = c.s[c.i++];
    if (out.size() < kMaxChallengeValue) out.push_back(ch);
  }
  return out;
}

// After "name =": a quoted string, else everything up to whitespace or a
// comma (wider than a token, because servers send bare URLs as realms).
std::string read_value(Cursor& c) {
  c.i = c.skip_ws(c.i);
  if (c.at(c.i) == '"') return read_quoted(c);
  std::size_t end = c.run(c.i, [](char ch) { return !is_ws(ch) && ch != ','; });
  std::string out = capped(c.s.substr(c.i, end - c.i));
  c.i = end;
  return out;
}

// Right after a scheme: takes a token68 if one follows ("Negotiate abc==").
// Leaves the cursor before anything else, which the main loop reads as
// auth-params or as the next challenge.
void read_token68(Cursor& c, Challenge& ch) {
  std::size_t start = c.skip_ws(c.i);
  if (start == c.i) return;  // a token68 needs 1*SP after the scheme
  std::size_t run_end = c.run(start, is_token68_char);
  if (run_end == start) return;
  std::size_t pad_end = c.run(run_end, [](char x) { return x == '='; });
  std::size_t after = c.skip_ws(pad_end);
  std::size_t pads = pad_end - run_end;
  // "name=value" and "name = value" are params; so is "name=" before a value.
  bool is_token68 = pads == 0 ? c.list_end(after) && c.at(after) != '=' : c.list_end(after) || pads > 1;
  if (!is_token68) return;
  ch.token68 = capped(c.s.substr(start, pad_end - start));
  c.i = pad_end;
}

// ---- signals ----

constexpr std::size_t kEvidenceChars = 200;
constexpr std::size_t kDescriptionChars = 120;

// RFC 6750 3.1 error codes, the RFC 9449 (DPoP) and RFC 6749 ones servers
// also put in challenges, and common non-standard spellings.
struct ErrorRule {
  std::string_view error;
  std::string_view reason;
  std::string_view words;  // {who}: the server or its identity provider; {what}: the credentials
  bool read_description;   // the description may say more exactly what happened (expiry)
  bool show_scope;         // the scope param says what was missing
};

constexpr std::array<ErrorRule, 10> kErrorRules{{
    {"invalid_token", "auth.invalid_credentials", "{who} rejected the {what}", true, false},
    {"invalid_request", "auth.malformed_credentials", "{who} found the request's credentials malformed",
     false, false},
    {"insufficient_scope", "forbidden.permission", "the {what} lacks the scope the request needs", false,
     true},
    {"expired_token", "auth.expired_credentials", "the access token expired", false, false},
    {"token_expired", "auth.expired_credentials", "the access token expired", false, false},
    {"invalid_dpop_proof", "auth.malformed_credentials", "{who} rejected the DPoP proof", false, false},
    {"invalid_client", "auth.invalid_credentials", "{who} rejected the client credentials", true, false},
    {"unauthorized_client", "forbidden.permission", "the client is not allowed this request", false, true},
    {"temporarily_unavailable", "auth.service_unavailable",
     "the authorization server is temporarily unavailable", false, false},
    {"server_error", "auth.service_unavailable", "the authorization server failed", false, false},
}};

// Words of an error_description that say more than the error code does.
struct DescriptionRule {
  std::string_view needle;  // lower case
  std::string_view reason;
  std::string_view words;
};

constexpr std::array<DescriptionRule, 15> kDescriptionRules{{
    {"expired", "auth.expired_credentials", "the access token expired"},  // "token is expired"
    {"expiry", "auth.expired_credentials", "the access token expired"},   // Azure Resource Manager
    {"exp claim", "auth.expired_credentials", "the access token expired"},
    {"\"exp\"", "auth.expired_credentials", "the access token expired"},
    {"lifetime validation failed", "auth.expired_credentials", "the access token expired"},  // .NET IDX10223
    {"idx10223", "auth.expired_credentials", "the access token expired"},
    {"token is missing", "auth.missing_credentials", "the server saw no access token"},  // Azure AD
    {"missing access token", "auth.missing_credentials", "the server saw no access token"},
    {"missing token", "auth.missing_credentials", "the server saw no access token"},
    {"no token", "auth.missing_credentials", "the server saw no access token"},
    {"token not provided", "auth.missing_credentials", "the server saw no access token"},
    {"malformed", "auth.malformed_credentials", "the server found the token malformed"},
    {"not well formed", "auth.malformed_credentials", "the server found the token malformed"},  // IDX14100
    {"could not be parsed", "auth.malformed_credentials", "the server found the token malformed"},
    {"idx12741", "auth.malformed_credentials", "the server found the token malformed"},
}};

// Identity providers recognisable from their challenges.
struct IssuerRule {
  std::string_view param;
  std::string_view needle;  // lower case
  std::string_view name;
};

constexpr std::array<IssuerRule, 5> kIssuerRules{{
    {"authorization_uri", "login.microsoftonline.com", "Microsoft Entra ID"},
    {"authorization_uri", "login.windows.net", "Microsoft Entra ID"},
    {"error_description", "aadsts", "Microsoft Entra ID"},
    {"realm", "accounts.google.com", "Google"},
    {"realm", "cognito-idp.", "Amazon Cognito"},
}};

bool contains_lower(std::string_view haystack, std::string_view lower_needle) {
  return to_lower(haystack).find(lower_needle) != std::string::npos;
}

// Server text made safe for one status line: no control characters, capped.
std::string clean(std::string_view s, std::size_t max_chars) {
  std::string out = ellipsize(s.substr(0, max_chars + 1), max_chars);
  for (char& ch : out)
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = ' ';
  return out;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

std::string_view issuer_of(const Challenge& c) {
  for (const auto& rule : kIssuerRules) {
    auto v = c.param(rule.param);
    if (v && contains_lower(*v, rule.needle)) return rule.name;
  }
  return {};
}

std::string what_of(const Challenge& c) {
  return iequals(c.scheme, "Bearer") ? "bearer token" : clean(c.scheme, 40) + " credentials";
}

const ErrorRule* find_error_rule(std::string_view error) {
  for (const auto& rule : kErrorRules)
    if (iequals(rule.error, error)) return &rule;
  return nullptr;
}

const DescriptionRule* find_description_rule(std::string_view description) {
  std::string lower = to_lower(description);
  for (const auto& rule : kDescriptionRules)
    if (lower.find(rule.needle) != std::string::npos) return &rule;
  return nullptr;
}

std::string evidence_of(std::string_view header, const std::vector<const Challenge*>& challenges) {
  std::string line = std::string(header) + ": ";
  for (std::size_t k = 0; k < challenges.size() && line.size() <= kEvidenceChars; ++k)
    line += (k ? ", " : "") + render_challenge(*challenges[k]);
  return clean(line, kEvidenceChars);
}

// The signal of one challenge that carries an error param on a >= 400 answer.
std::optional<Signal> error_signal(const Challenge& c, int status) {
  auto error = c.param("error");
  if (!error) return std::nullopt;
  const ErrorRule* rule = find_error_rule(*error);
  if (!rule && status != 401) return std::nullopt;  // an unknown code says something only on a 401

  std::string_view description = c.param("error_description").value_or("");
  Signal s;
  s.reason = rule ? rule->reason : "auth.invalid_credentials";
  s.strength = rule ? Strength::explicit_ : Strength::wording;
  std::string words = rule ? std::string(rule->words) : "{who} rejected the {what}";
  if (!rule || rule->read_description) {
    if (const DescriptionRule* d = find_description_rule(description)) {
      s.reason = d->reason;
      words = d->words;
    } else if (rule && rule->reason == "auth.invalid_credentials") {
      // A known code that says the token was not accepted, and a description
      // that does not say why ("JWT token could not be validated"): it
      // restates the status, and what the check knows itself goes first.
      std::string lower = to_lower(description);
      auto said = read_phrase(description, lower, status);
      s.restates = !said || said->restates || wording_detail::kPhrases[said->row].reason != s.reason;
    }
  }
  std::string_view issuer = issuer_of(c);
  words = replace_all(std::move(words), "{who}", issuer.empty() ? "the server" : issuer);
  words = replace_all(std::move(words), "{what}", what_of(c));

  std::string why = clean(*error, 40);
  if (!description.empty()) why += ": " + clean(description, kDescriptionChars);
  if (rule && rule->show_scope) {
    if (auto scope = c.param("scope")) why += "; scope needed: " + clean(*scope, kDescriptionChars);
  }
  s.detail = words + " (" + why + ")";
  s.evidence = evidence_of("WWW-Authenticate", {&c});
  return s;
}

Signal proxy_signal(const HeaderMap& headers) {
  std::vector<Challenge> all;
  for (auto value : headers.all("Proxy-Authenticate")) {
    for (auto& c : parse_challenges(value))
      if (all.size() < kMaxChallenges) all.push_back(std::move(c));
  }
  Signal s{"auth.proxy_required", Strength::explicit_, "the proxy asks for credentials", "", ""};
  if (all.empty()) {
    s.evidence = "HTTP 407 without a Proxy-Authenticate header";
    return s;
  }
  std::vector<const Challenge*> shown;
  std::string schemes;
  for (const auto& c : all) {
    shown.push_back(&c);
    schemes += (schemes.empty() ? "" : ", ") + clean(c.scheme, 40);
  }
  s.detail += " (" + clean(schemes, kDescriptionChars) + ")";
  s.evidence = evidence_of("Proxy-Authenticate", shown);
  return s;
}

}  // namespace

std::optional<std::string_view> Challenge::param(std::string_view name) const {
  for (const auto& [n, v] : params)
    if (iequals(n, name)) return std::string_view(v);
  return std::nullopt;
}

std::vector<Challenge> parse_challenges(std::string_view value) {
  std::vector<Challenge> out;
  Cursor c{value.substr(0, kMaxChallengeInput)};
  while (!c.done()) {
    char ch = c.s[c.i];
    if (is_ws(ch) || ch == ',') {  // OWS and empty list elements
      ++c.i;
      continue;
    }
    std::size_t name_end = c.run(c.i, is_tchar);
    if (name_end == c.i) {  // not a token: step over a stray quoted string or character
      if (ch == '"') {
        read_quoted(c);
      } else {
        ++c.i;
      }
      continue;
    }
    std::string_view name = c.s.substr(c.i, name_end - c.i);
    std::size_t eq = c.skip_ws(name_end);
    if (c.at(eq) == '=') {  // an auth-param of the current challenge (BWS allowed)
      c.i = eq + 1;
      std::string v = read_value(c);
      if (!out.empty() && out.back().token68.empty() && out.back().params.size() < kMaxChallengeParams)
        out.back().params.emplace_back(to_lower(capped(name)), std::move(v));
      continue;
    }
    if (out.size() == kMaxChallenges) break;
    out.push_back(Challenge{capped(name), {}, {}});
    c.i = name_end;
    read_token68(c, out.back());
  }
  return out;
}

std::string render_challenge(const Challenge& c) {
  std::string out = c.scheme;
  if (!c.token68.empty()) return out + " <token68 omitted>";
  for (std::size_t k = 0; k < c.params.size(); ++k) {
    out += k ? ", " : " ";
    out += c.params[k].first + "=\"";
    for (char ch : c.params[k].second) {
      if (ch == '"' || ch == '\\') out.push_back('\\');
      out.push_back(ch);
    }
    out.push_back('"');
  }
  return out;
}

Signals challenge_signals(const HeaderMap& headers, int status) {
  if (status == 407) return {proxy_signal(headers)};
  if (status < 400) return {};

  std::vector<Challenge> all;
  for (auto value : headers.all("WWW-Authenticate")) {
    for (auto& c : parse_challenges(value))
      if (all.size() < kMaxChallenges) all.push_back(std::move(c));
  }
  Signals out;
  bool any_error = false;
  for (const auto& c : all) {
    any_error = any_error || c.param("error").has_value();
    if (auto s = error_signal(c, status)) out.push_back(std::move(*s));
  }
  if (status == 401 && !any_error && !all.empty()) {
    // A bare challenge: the server wants credentials. Whether it saw ours is
    // for the diagnosis, which knows what was sent.
    std::vector<const Challenge*> shown;
    std::string schemes;
    for (const auto& c : all) {
      shown.push_back(&c);
      schemes += (schemes.empty() ? "" : ", ") + clean(c.scheme, 40);
    }
    out.push_back({"auth.missing_credentials", Strength::wording,
                   "the server asks for credentials (" + clean(schemes, kDescriptionChars) + ")",
                   evidence_of("WWW-Authenticate", shown), ""});
  }
  return out;
}

}  // namespace probewise
