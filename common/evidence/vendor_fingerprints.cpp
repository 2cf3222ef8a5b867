// SPDX-License-Identifier: GPL-2.0-or-later
#include "evidence/vendor_fingerprints.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/text.h"
#include "evidence/error_body.h"  // page_text, find_wording
#include "evidence/vendor_tables.h"

namespace probewise {
namespace {

constexpr std::size_t kBodyScanBytes = 64 * 1024;
constexpr std::size_t kMaxIdChars = 100;
constexpr std::size_t kSnippetChars = 100;

using namespace vendor_tables;

// ---------------------------------------------------------------------------

bool is_block_status(int status) {
  return status == 403 || status == 405 || status == 406 || status == 429 || status == 451 ||
         (status >= 500 && status <= 599);
}

bool icontains(std::string_view hay, std::string_view needle) {
  return needle.empty() || to_lower(hay).find(needle) != std::string::npos;
}

std::string_view cookie_name(std::string_view set_cookie) {
  return trim(set_cookie.substr(0, set_cookie.find('=')));
}

struct Pages {
  PageText text;  // tags stripped
  PageText raw;   // tags kept (attributes, iframe URLs)
};

struct BodyHit {
  const PageText* page = nullptr;
  WordingMatch match;
  bool found() const { return page != nullptr; }
};

BodyHit find_in_body(const Pages& pages, std::string_view pattern) {
  for (const PageText* p : {&pages.text, &pages.raw}) {
    WordingMatch m = find_wording(p->lower, pattern);
    if (m.found()) return {p, m};
  }
  return {};
}

std::string snippet(const BodyHit& hit) {
  auto s = std::string_view(hit.page->cased).substr(hit.match.begin, hit.match.end - hit.match.begin);
  return ellipsize(s, kSnippetChars);
}

// The first header value of `name` that contains the needle.
std::optional<std::string_view> header_with(const HeaderMap& headers, std::string_view name,
                                            std::string_view needle) {
  for (auto v : headers.all(name))
    if (icontains(v, needle)) return v;
  return std::nullopt;
}

std::optional<std::string_view> cookie_with(const HeaderMap& headers, std::string_view prefix) {
  for (auto v : headers.all("Set-Cookie")) {
    auto name = cookie_name(v);
    if (name.size() >= prefix.size() && iequals(name.substr(0, prefix.size()), prefix)) return name;
  }
  return std::nullopt;
}

struct Present {
  std::string_view vendor;
  std::string evidence;
  std::string_view detail;
};

std::vector<Present> find_presence(const HeaderMap& headers, const Pages& pages) {
  std::vector<Present> out;
  for (const auto& p : kPresence) {
    bool known = std::any_of(out.begin(), out.end(), [&](const Present& q) { return q.vendor == p.vendor; });
    if (known) continue;
    std::string evidence;
    if (p.where == Where::header) {
      if (auto v = header_with(headers, p.name, p.needle))
        evidence = std::string(p.name) + ": " + ellipsize(*v, kSnippetChars);
    } else if (p.where == Where::cookie) {
      if (auto name = cookie_with(headers, p.needle)) evidence = "Set-Cookie " + std::string(*name) + "=...";
    } else if (auto hit = find_in_body(pages, p.needle); hit.found()) {
      evidence = "page contains \"" + snippet(hit) + "\"";
    }
    if (!evidence.empty()) out.push_back({p.vendor, std::move(evidence), p.detail});
  }
  return out;
}

bool is_present(const std::vector<Present>& present, std::string_view vendor) {
  return std::any_of(present.begin(), present.end(), [&](const Present& p) { return p.vendor == vendor; });
}

bool is_id_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_' || c == '=' ||
         c == '+' || c == '/';
}

// The ID after a label in the page: "Ray ID: 8c1e2f3a4b5c6d7e", "Reference #18.2f58...".
std::string id_after(const PageText& page, std::string_view label) {
  WordingMatch m = find_wording(page.lower, label);
  if (!m.found()) return "";
  std::string_view rest = std::string_view(page.cased).substr(m.end);
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == ':' || rest.front() == '#'))
    rest.remove_prefix(1);
  std::size_t n = 0;
  while (n < rest.size() && n < kMaxIdChars && is_id_char(rest[n])) ++n;
  std::string_view id = rest.substr(0, n);
  while (!id.empty() && (id.back() == '.' || id.back() == '-')) id.remove_suffix(1);
  return id.size() >= 4 ? std::string(id) : "";
}

std::string id_for(std::string_view vendor, const HeaderMap& headers, const Pages& pages) {
  for (const auto& s : kIds) {
    if (s.vendor != vendor) continue;
    std::string id;
    if (s.where == Where::header) {
      if (auto v = headers.get(s.name)) id = ellipsize(trim(*v), kMaxIdChars);
    } else {
      id = id_after(pages.text, s.name);
      if (id.empty()) id = id_after(pages.raw, s.name);
    }
    if (!id.empty()) return std::string(s.label) + " " + id;
  }
  return "";
}

// "Error 1020", "error code: 1020", "Error code 1020" -> 1020, if it is one we know.
const CloudflareCode* cloudflare_code(const PageText& text) {
  std::string_view lower = text.lower;
  std::size_t tries = 0;
  for (std::size_t pos = lower.find("error"); pos != std::string_view::npos && tries++ < 256;
       pos = lower.find("error", pos + 5)) {
    std::string_view rest = lower.substr(pos + 5);
    if (starts_with(rest, " code")) rest.remove_prefix(5);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == ':')) rest.remove_prefix(1);
    if (rest.size() < 4 || !std::all_of(rest.begin(), rest.begin() + 4, [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        }))
      continue;
    if (rest.size() > 4 && std::isdigit(static_cast<unsigned char>(rest[4]))) continue;
    int code = std::stoi(std::string(rest.substr(0, 4)));
    for (const auto& c : kCloudflareCodes)
      if (c.code == code) return &c;
  }
  return nullptr;
}

Signal block_signal(std::string_view vendor, std::string_view reason, Strength strength,
                    std::string_view detail, const std::string& what, const std::string& id) {
  Signal s;
  s.reason = std::string(reason);
  s.strength = strength;
  s.detail = std::string(detail);
  s.vendor = std::string(vendor);
  s.evidence = std::string(vendor) + ": " + what;
  if (!id.empty()) s.evidence += "; " + id;
  return s;
}

// A 2xx that is a known vendor's block page: only the pages' own sentences
// on a short page count (SPEC 1.3); who is in the path never does.
Signals block_page_200(const HeaderMap& headers, std::string_view body) {
  Pages pages{page_text(body, kBodyScanBytes, true), page_text(body, kBodyScanBytes, false)};
  if (pages.text.cased.size() > kMaxBlockPage200Chars) return {};
  for (const auto& b : kBlockPages200) {
    BodyHit hit = find_in_body(pages, b.needle);
    if (!hit.found() || hit.page != &pages.text || hit.match.begin > kBlockPage200Top) continue;
    if (!b.also.empty() && !find_in_body(pages, b.also).found()) continue;
    return {block_signal(b.vendor, "forbidden.waf", Strength::explicit_, b.detail,
                         "page says \"" + snippet(hit) + "\"", id_for(b.vendor, headers, pages))};
  }
  return {};
}

}  // namespace

Signals vendor_signals(const HeaderMap& headers, std::string_view body, int status) {
  if (status >= 200 && status <= 299) {
    try {
      return block_page_200(headers, body);
    } catch (...) {
      return {};
    }
  }
  if (status < 400) return {};
  try {
    Pages pages{page_text(body, kBodyScanBytes, true), page_text(body, kBodyScanBytes, false)};
    std::vector<Present> present = find_presence(headers, pages);

    Signals blocks;
    std::vector<std::string_view> blocked_by;  // vendors with a block signal already
    auto done = [&](std::string_view vendor) {
      return std::find(blocked_by.begin(), blocked_by.end(), vendor) != blocked_by.end();
    };

    if (is_block_status(status) && is_present(present, "Cloudflare")) {
      if (const CloudflareCode* c = cloudflare_code(pages.text)) {
        blocks.push_back(block_signal("Cloudflare", c->reason, kExplicit, c->detail,
                                      "error " + std::to_string(c->code),
                                      id_for("Cloudflare", headers, pages)));
        blocked_by.push_back("Cloudflare");
      }
    }

    for (const auto& b : kBlocks) {
      if (!is_block_status(status) || (b.status != 0 && b.status != status) || done(b.vendor)) continue;
      if (!b.needs.empty() && !is_present(present, b.needs)) continue;

      std::string what;
      if (b.where == Where::header) {
        auto v = header_with(headers, b.name, b.needle);
        if (!v) continue;
        what = "header " + std::string(b.name) + ": " + ellipsize(*v, kSnippetChars);
      } else if (b.needle.empty()) {
        what = "status " + std::to_string(status);
      } else {
        BodyHit hit = find_in_body(pages, b.needle);
        if (!hit.found()) continue;
        what = "page says \"" + snippet(hit) + "\"";
      }
      if (!b.also.empty() && !find_in_body(pages, b.also).found()) continue;

      blocks.push_back(
          block_signal(b.vendor, b.reason, b.strength, b.detail, what, id_for(b.vendor, headers, pages)));
      blocked_by.push_back(b.vendor);
    }
    std::stable_sort(blocks.begin(), blocks.end(), [](const Signal& a, const Signal& b) {
      return static_cast<int>(a.strength) > static_cast<int>(b.strength);
    });

    for (const auto& p : present) {
      Signal s;
      s.reason = "forbidden.unspecified";
      s.strength = Strength::presence;
      s.vendor = std::string(p.vendor);
      s.detail = p.detail.empty() ? std::string(p.vendor) + " is in the path" : std::string(p.detail);
      s.evidence = p.evidence;
      blocks.push_back(std::move(s));
    }
    return blocks;
  } catch (...) {  // bad_alloc and the like: no evidence rather than a failed check
    return {};
  }
}

}  // namespace probewise
