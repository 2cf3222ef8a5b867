// SPDX-License-Identifier: GPL-2.0-or-later
// Response headers with case-insensitive names, in arrival order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace probewise {

class HeaderMap {
 public:
  void add(std::string name, std::string value);
  // The first value of a header, if present.
  std::optional<std::string_view> get(std::string_view name) const;
  std::vector<std::string_view> all(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// Parses a raw header block (status line first) into the map; lines that are
// not "Name: value" (as broken servers send) are skipped.
HeaderMap parse_header_block(std::string_view block);

}  // namespace probewise
