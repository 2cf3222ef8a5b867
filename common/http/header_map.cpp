// SPDX-License-Identifier: GPL-2.0-or-later
#include "http/header_map.h"

#include "base/text.h"

namespace probewise {

void HeaderMap::add(std::string name, std::string value) {
  items_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> HeaderMap::get(std::string_view name) const {
  for (const auto& [n, v] : items_)
    if (iequals(n, name)) return std::string_view(v);
  return std::nullopt;
}

std::vector<std::string_view> HeaderMap::all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [n, v] : items_)
    if (iequals(n, name)) out.emplace_back(v);
  return out;
}

HeaderMap parse_header_block(std::string_view block) {
  HeaderMap map;
  bool first = true;
  while (!block.empty()) {
    auto eol = block.find('\n');
    std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view{} : block.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (first) {  // the status line
      first = false;
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    std::string_view name = line.substr(0, colon);
    if (name.find_first_of(" \t") != std::string_view::npos) continue;
    map.add(std::string(name), std::string(trim(line.substr(colon + 1))));
  }
  return map;
}

}  // namespace probewise
