// SPDX-License-Identifier: GPL-2.0-or-later
// --source-address, --interface (the one vantage of a plain run), and
// --vantage / --vantage-quorum (several at once, SPEC 1.7).
#include <set>

#include "option_readers.h"

namespace probewise {

Expected<bool> read_vantages(const ParsedOptions& o, CheckConfig& c) {
  if (o.has("source-address") && o.has("interface"))
    return Error{"--source-address and --interface both choose the way out: give one of them"};
  if (o.has("source-address")) {
    auto value = source_address_interface(o.get("source-address"));
    if (!value) return Error{"invalid value for --source-address: " + value.error()};
    c.spec.interface = *value;
  }
  if (o.has("interface")) {
    auto value = interface_interface(o.get("interface"));
    if (!value) return Error{"invalid value for --interface: " + value.error()};
    c.spec.interface = *value;
  }
  std::set<std::string> names;
  if (o.has("vantage"))
    for (const auto& text : o.vm["vantage"].as<std::vector<std::string>>()) {
      auto v = parse_vantage(text);
      if (!v) return Error{"invalid value for --vantage: " + v.error()};
      if (!names.insert(v->name).second)
        return Error{"invalid value for --vantage: the name '" + v->name + "' is given twice"};
      c.vantages.push_back(std::move(v).value());
    }
  if (o.has("vantage-quorum")) {
    const int quorum = o.vm["vantage-quorum"].as<int>();
    if (c.vantages.empty()) return Error{"--vantage-quorum needs --vantage"};
    if (quorum < 1 || quorum > static_cast<int>(c.vantages.size()))
      return Error{"invalid value for --vantage-quorum: " + std::to_string(quorum) + " (expected 1 to " +
                   std::to_string(c.vantages.size()) + ", the number of vantages)"};
    c.vantage_rule.quorum = quorum;
  }
  return true;
}

}  // namespace probewise
