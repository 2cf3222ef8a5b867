// SPDX-License-Identifier: GPL-2.0-or-later
#include "credentials/jwt.h"

#include <nlohmann/json.hpp>

namespace probewise {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxToken = 64 * 1024;

std::optional<std::time_t> number_claim(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  double v = it->get<double>();
  if (v < 0 || v > 1e11) return std::nullopt;
  return static_cast<std::time_t>(v);
}

std::string string_claim(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_array()) {
    std::string out;
    for (const auto& item : *it)
      if (item.is_string()) out += (out.empty() ? "" : ",") + item.get<std::string>();
    return out;
  }
  return "";
}

}  // namespace

bool looks_like_jwt(std::string_view token) {
  auto first = token.find('.');
  if (first == std::string_view::npos || first == 0) return false;
  auto second = token.find('.', first + 1);
  return second != std::string_view::npos && token.find('.', second + 1) == std::string_view::npos &&
         token.substr(0, 2) == "ey";
}

Expected<JwtClaims> decode_jwt(std::string_view token) {
  if (token.size() > kMaxToken) return Error{"token longer than 64 KiB"};
  auto first = token.find('.');
  auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos) return Error{"not a JWT: expected header.payload.signature"};
  auto header = base64url_decode(token.substr(0, first));
  auto payload = base64url_decode(token.substr(first + 1, second - first - 1));
  if (!header || !payload) return Error{"not a JWT: a part is not base64url"};
  json h = json::parse(*header, nullptr, false);
  json p = json::parse(*payload, nullptr, false);
  if (h.is_discarded() || !h.is_object()) return Error{"not a JWT: the header is not a JSON object"};
  if (p.is_discarded() || !p.is_object()) return Error{"not a JWT: the payload is not a JSON object"};
  JwtClaims c;
  c.alg = string_claim(h, "alg");
  c.exp = number_claim(p, "exp");
  c.iat = number_claim(p, "iat");
  c.nbf = number_claim(p, "nbf");
  c.iss = string_claim(p, "iss");
  c.sub = string_claim(p, "sub");
  c.aud = string_claim(p, "aud");
  c.scope = string_claim(p, "scope");
  if (c.scope.empty()) c.scope = string_claim(p, "scp");
  return c;
}

}  // namespace probewise
