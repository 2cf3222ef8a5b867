// SPDX-License-Identifier: GPL-2.0-or-later
#include "credentials/credentials.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "base/digest.h"
#include "base/files.h"
#include "base/text.h"
#include "http/proxy.h"
#include "http/url.h"
#include "secrets/redact.h"

namespace probewise {
namespace {

constexpr std::size_t kMaxCredentialFile = 64 * 1024;
constexpr std::size_t kMaxCookieJar = 4 << 20;

// Why a file could not be read, naming the file, never its content.
std::string file_problem(const std::string& path, const FileRead& f) {
  switch (f.problem) {
    case FileRead::Problem::missing:
    case FileRead::Problem::unreadable: return "cannot read '" + path + "': " + f.why;
    case FileRead::Problem::not_regular: return "'" + path + "' " + f.why + ", not a regular file";
    case FileRead::Problem::too_large: return "'" + path + "' " + f.why + " (is it the right file?)";
    case FileRead::Problem::none: break;
  }
  return "";
}

// A credential file's content; nullopt, with a note, when something other
// than a regular file stands in its place (the check goes on without it:
// a FIFO must not stall it, SPEC 1.6). Any other problem is an error.
Expected<std::optional<std::string>> credential_file(const std::string& option, const std::string& path,
                                                     std::vector<std::string>& notes) {
  FileRead f = read_regular_file(path, kMaxCredentialFile, false);
  if (f.problem == FileRead::Problem::none) return std::optional<std::string>(std::move(f.text));
  if (f.problem == FileRead::Problem::not_regular) {
    notes.push_back("credential file " + path + " (" + option + ") " + f.why +
                    ", not a regular file: not read, the request goes without it");
    return std::optional<std::string>();
  }
  return Error{option + ": " + file_problem(path, f)};
}

// The first line of a credential file, without its line ending; one with a
// CR or NUL inside is refused (it would end the header it goes into).
Expected<std::string> first_line(const std::string& text, const std::string& option, const std::string& path,
                                 const std::string& what) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty())
    return Error{option + ": '" + path + "' is empty: expected " + what + " on its first line"};
  if (breaks_line(line))
    return Error{option + ": " + what + " in '" + path +
                 "' contains a line break (CR or LF) or NUL: no request carries it"};
  return line;
}

// "Name: value" per line; blank lines and # comments skipped; a line with a
// bare CR or a NUL inside is refused with its number.
Expected<std::vector<std::string>> parse_header_lines(const std::string& text, const std::string& path) {
  std::vector<std::string> out;
  int number = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    start = end + 1;
    ++number;
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view l = trim(line);
    if (l.empty() || l.front() == '#') continue;
    const std::string where = "'" + path + "' line " + std::to_string(number);
    if (breaks_line(l))
      return Error{where + ": a line break (CR) or NUL inside a header: no request carries it"};
    auto colon = l.find(':');
    if (colon == std::string_view::npos || colon == 0 ||
        l.substr(0, colon).find_first_of(" \t") != std::string_view::npos)
      return Error{where + ": expected 'Name: value'"};
    out.emplace_back(l);
  }
  return out;
}

// The cookies --cookie-jar holds are secrets too; a jar that is no regular
// file is not handed to libcurl (it would wait on a FIFO): cookies stay on,
// without the file.
void read_cookie_jar(RequestSpec& spec, SecretRegistry* secrets, std::vector<std::string>& notes) {
  FileRead f = read_regular_file(spec.cookie_jar, kMaxCookieJar, false);
  if (f.problem == FileRead::Problem::not_regular) {
    notes.push_back("cookie jar " + spec.cookie_jar + " " + f.why +
                    ", not a regular file: cookies are kept in memory only");
    spec.cookie_jar.clear();
    return;
  }
  if (f.problem != FileRead::Problem::none || !secrets) return;  // libcurl starts an empty jar
  std::vector<std::string> values;
  for (auto line : split(f.text, '\n')) {
    if (starts_with(line, "#HttpOnly_"))
      line.remove_prefix(10);
    else if (line.front() == '#')
      continue;
    // Netscape format: domain, subdomains, path, secure, expiry, name, value.
    std::size_t tabs = 0, at = 0;
    while (tabs < 6 && (at = line.find('\t', at)) != std::string_view::npos) ++tabs, ++at;
    if (tabs == 6) values.emplace_back(trim(line.substr(at)));
  }
  secrets->put("--cookie-jar " + spec.cookie_jar, std::move(values));
}

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
  FileRead f = read_regular_file(path, kMaxCredentialFile, false);
  if (f.problem != FileRead::Problem::none) return Error{file_problem(path, f)};
  std::string line = f.text.substr(0, f.text.find('\n'));
  while (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return Error{"'" + path + "' is empty: expected the secret on its first line"};
  return line;
}

void register_proxy_environment(SecretRegistry& secrets, const EnvLookup& env) {
  std::vector<std::string> values;
  for (bool https : {false, true})
    for (auto& v : userinfo_secrets(choose_proxy(https, "", "", true, env).proxy))
      values.push_back(std::move(v));
  if (!values.empty()) secrets.put("the proxy environment", std::move(values));
}

std::optional<std::string> process_getenv(const char* name) {
  const char* v = std::getenv(name);
  if (!v) return std::nullopt;
  return std::string(v);
}

Expected<std::vector<std::string>> apply_credentials(const CredentialOptions& o, RequestSpec& spec,
                                                     std::optional<std::string> (*getenv_fn)(const char*),
                                                     SecretRegistry* secrets) {
  std::vector<std::string> notes;
  auto keep = [secrets](const std::string& source, std::vector<std::string> values) {
    if (secrets) secrets->put(source, std::move(values));
  };
  if (!o.bearer_token_file.empty()) {
    auto token = credential_file("--bearer-token-file", o.bearer_token_file, notes);
    if (!token) return Error{token.error()};
    if (*token) {
      auto line = first_line(**token, "--bearer-token-file", o.bearer_token_file, "the token");
      if (!line) return Error{line.error()};
      keep("--bearer-token-file " + o.bearer_token_file, {*line});
      spec.credential_headers.push_back("Authorization: Bearer " + *line);
    }
  }
  if (!o.bearer_token_env.empty()) {
    auto token = getenv_fn(o.bearer_token_env.c_str());
    if (token)
      while (!token->empty() && (token->back() == '\n' || token->back() == '\r')) token->pop_back();
    if (!token || token->empty())
      return Error{"--bearer-token-env: the environment variable " + o.bearer_token_env + " is not set"};
    if (breaks_line(*token))
      return Error{"--bearer-token-env: the token in " + o.bearer_token_env +
                   " contains a line break (CR or LF) or NUL: no request carries it"};
    keep("--bearer-token-env " + o.bearer_token_env, {*token});
    spec.credential_headers.push_back("Authorization: Bearer " + *token);
  }
  if (!o.basic_auth_file.empty()) {
    auto pair = credential_file("--basic-auth-file", o.basic_auth_file, notes);
    if (!pair) return Error{pair.error()};
    if (*pair) {
      auto line = first_line(**pair, "--basic-auth-file", o.basic_auth_file, "user:password");
      if (!line) return Error{line.error()};
      if (line->find(':') == std::string::npos)
        return Error{"--basic-auth-file: '" + o.basic_auth_file +
                     "' must hold user:password on its first line"};
      keep("--basic-auth-file " + o.basic_auth_file, basic_secrets(*line));
      spec.basic_auth = *line;
    }
  }
  if (!o.header_file.empty()) {
    auto text = credential_file("--header-file", o.header_file, notes);
    if (!text) return Error{text.error()};
    if (*text) {
      auto headers = parse_header_lines(**text, o.header_file);
      if (!headers) return Error{"--header-file: " + headers.error()};
      std::vector<std::string> values;
      for (const auto& h : *headers)
        for (auto& v : header_secrets(h)) values.push_back(std::move(v));
      keep("--header-file " + o.header_file, std::move(values));
      spec.credential_headers.insert(spec.credential_headers.end(), headers->begin(), headers->end());
    }
  }
  if (!spec.cookie_jar.empty()) read_cookie_jar(spec, secrets, notes);
  return notes;
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
  // Every header the user gave may be a credential but the public ones
  // (SPEC 1.6); a custom Host stays, it says where the request goes.
  s.headers.erase(std::remove_if(s.headers.begin(), s.headers.end(),
                                 [](const std::string& h) {
                                   const std::string_view name =
                                       trim(std::string_view(h).substr(0, h.find(':')));
                                   return !is_public_header(name) && !iequals(name, "host");
                                 }),
                  s.headers.end());
  s.cookie_jar.clear();
  s.cookie_engine = false;
  return s;
}

}  // namespace probewise
