// SPDX-License-Identifier: GPL-2.0-or-later
#include "credentials/credentials.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>

#include "base/digest.h"
#include "base/text.h"
#include "http/url.h"
#include "output/redact.h"

namespace probewise {
namespace {

bool has_inner_whitespace(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) || c < 0x20; });
}

// Names of headers that carry credentials other than Authorization.
bool is_api_key_header(std::string_view name) {
  return !iequals(name, "authorization") && !iequals(name, "proxy-authorization") &&
         !iequals(name, "cookie") && is_secret_header(name);
}

}  // namespace

Expected<std::string> read_secret_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read '" + path + "'"};
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.empty()) return Error{"'" + path + "' is empty: expected the secret on its first line"};
  return line;
}

Expected<std::vector<std::string>> read_header_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read '" + path + "'"};
  std::vector<std::string> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
    std::string_view l = trim(line);
    if (l.empty() || l.front() == '#') continue;
    auto colon = l.find(':');
    if (colon == std::string_view::npos || colon == 0 ||
        l.substr(0, colon).find_first_of(" \t") != std::string_view::npos)
      return Error{"'" + path + "' line " + std::to_string(number) + ": expected 'Name: value'"};
    out.emplace_back(l);
  }
  return out;
}

std::optional<std::string> process_getenv(const char* name) {
  const char* v = std::getenv(name);
  if (!v) return std::nullopt;
  return std::string(v);
}

Expected<bool> apply_credentials(const CredentialOptions& o, RequestSpec& spec,
                                 std::optional<std::string> (*getenv_fn)(const char*)) {
  auto one_line = [](std::string token) {
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    std::replace(token.begin(), token.end(), '\r', ' ');
    std::replace(token.begin(), token.end(), '\n', ' ');
    return token;
  };
  if (!o.bearer_token_file.empty()) {
    auto token = read_secret_file(o.bearer_token_file);
    if (!token) return Error{"--bearer-token-file: " + token.error()};
    spec.credential_headers.push_back("Authorization: Bearer " + one_line(*token));
  }
  if (!o.bearer_token_env.empty()) {
    auto token = getenv_fn(o.bearer_token_env.c_str());
    if (!token || token->empty())
      return Error{"--bearer-token-env: the environment variable " + o.bearer_token_env + " is not set"};
    spec.credential_headers.push_back("Authorization: Bearer " + one_line(*token));
  }
  if (!o.basic_auth_file.empty()) {
    auto pair = read_secret_file(o.basic_auth_file);
    if (!pair) return Error{"--basic-auth-file: " + pair.error()};
    if (pair->find(':') == std::string::npos)
      return Error{"--basic-auth-file: '" + o.basic_auth_file +
                   "' must hold user:password on its first line"};
    spec.basic_auth = *pair;
  }
  if (!o.header_file.empty()) {
    auto headers = read_header_file(o.header_file);
    if (!headers) return Error{"--header-file: " + headers.error()};
    spec.credential_headers.insert(spec.credential_headers.end(), headers->begin(), headers->end());
  }
  return true;
}

std::string fingerprint(const std::string& secret_material) {
  return sha256_hex("probewise-credentials-v1:" + secret_material, 16);
}

std::string sent_phrase(const SentAuth& sent) {
  return sent_verb(sent) == "were" ? sent.kind : "a " + sent.kind;
}

std::string_view sent_verb(const SentAuth& sent) {
  return ends_with(sent.kind, "credentials") ? "were" : "was";
}

namespace {

// What an Authorization header says: its scheme, its form, a JWT's claims.
void describe_authorization(std::string_view value, SentAuth& a) {
  auto space = value.find(' ');
  std::string_view scheme = value.substr(0, space);
  std::string_view credential =
      space == std::string_view::npos ? std::string_view{} : value.substr(space + 1);
  a.scheme = space == std::string_view::npos ? "" : std::string(scheme);
  if (space == std::string_view::npos) {
    a.kind = "Authorization header";
    a.form_problem = "the Authorization value has no scheme (expected e.g. 'Bearer <token>')";
    credential = value;
  } else if (iequals(scheme, "bearer")) {
    a.kind = "bearer token";
  } else if (iequals(scheme, "basic")) {
    a.kind = "Basic credentials";
  } else {
    a.kind = std::string(scheme) + " credentials";
  }
  if (a.form_problem.empty() && has_inner_whitespace(credential))
    a.form_problem = "the credential contains whitespace or a line break";
  if (a.form_problem.empty() && credential.empty()) a.form_problem = "the Authorization value is empty";
  if (looks_like_jwt(credential)) {
    if (auto claims = decode_jwt(credential)) {
      a.jwt = *claims;
      a.expires_at = claims->exp;
      a.issued_at = claims->iat;
    }
  }
}

// One request header: a credential (Authorization, API-key style) adds to
// what was sent and to the fingerprint's material.
void describe_header(std::string_view header, SentAuth& a, std::string& material) {
  auto colon = header.find(':');
  if (colon == std::string_view::npos) return;
  std::string_view name = trim(header.substr(0, colon));
  std::string_view value = header.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  if (iequals(name, "proxy-authorization")) a.proxy_sent = true;
  if (iequals(name, "authorization")) {
    a.sent = true;
    material += "authorization:" + std::string(value) + "\n";
    describe_authorization(value, a);
  } else if (is_api_key_header(name)) {
    a.sent = true;
    if (a.kind.empty()) a.kind = std::string(name) + " header";
    material += std::string(name) + ":" + std::string(value) + "\n";
    if (has_inner_whitespace(trim(value)) && a.form_problem.empty())
      a.form_problem = "the " + std::string(name) + " value contains whitespace or a line break";
  }
}

}  // namespace

SentAuth describe_sent_auth(const RequestSpec& spec) {
  SentAuth a;
  a.proxy_sent = !spec.proxy_auth.empty();
  std::string material;
  if (!spec.basic_auth.empty()) {
    a.sent = true;
    a.kind = "Basic credentials";
    a.scheme = "Basic";
    material += "basic:" + spec.basic_auth + "\n";
  }
  // The -k headers first, then the credentials': the order the material had
  // when they were one list, so that fingerprints in state files still match.
  for (const auto& header : spec.headers) describe_header(header, a, material);
  for (const auto& header : spec.credential_headers) describe_header(header, a, material);
  if (has_userinfo(spec.url)) {
    a.sent = true;
    if (a.kind.empty()) a.kind = "Basic credentials from the URL";
    material += "url:" + spec.url + "\n";
  }
  if (a.sent) a.fingerprint = fingerprint(material);
  return a;
}

RequestSpec without_credentials(const RequestSpec& spec) {
  RequestSpec s = spec;
  s.url = without_userinfo(s.url);
  s.basic_auth.clear();
  s.credential_headers.clear();
  s.headers.erase(std::remove_if(s.headers.begin(), s.headers.end(),
                                 [](const std::string& h) {
                                   auto colon = h.find(':');
                                   std::string_view name = trim(std::string_view(h).substr(0, colon));
                                   return iequals(name, "authorization") || iequals(name, "cookie") ||
                                          is_api_key_header(name);
                                 }),
                  s.headers.end());
  s.cookie_jar.clear();
  s.cookie_engine = false;
  return s;
}

}  // namespace probewise
