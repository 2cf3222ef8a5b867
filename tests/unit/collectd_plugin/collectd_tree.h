// SPDX-License-Identifier: GPL-2.0-or-later
// oconfig_item_t trees for the collectd plugin's tests, built the way
// collectd's parser (liboconfig) would from a config file: a key, its values
// (strings, numbers, booleans), its children.
#pragma once

#include <cstdlib>
#include <cstring>
#include <deque>
#include <initializer_list>
#include <string>
#include <variant>
#include <vector>

extern "C" {
#include <liboconfig/oconfig.h>
}

namespace probewise::testing {

using ConfigValue = std::variant<std::string, double, bool>;

struct Node {
  std::string key;
  std::vector<ConfigValue> values;
  std::vector<Node> children;
};

// A key with one value: Key("URL", "http://..."), Key("Timeout", 5.0).
inline Node Key(std::string key, ConfigValue v) {
  return Node{std::move(key), {std::move(v)}, {}};
}
inline Node Key(std::string key, const char* v) {
  return Node{std::move(key), {std::string(v)}, {}};
}
inline Node Key(std::string key, int v) {
  return Node{std::move(key), {static_cast<double>(v)}, {}};
}
inline Node Key(std::string key, double v) {
  return Node{std::move(key), {v}, {}};
}
inline Node Key(std::string key, bool v) {
  return Node{std::move(key), {v}, {}};
}
inline Node Block(std::string key, std::string name, std::vector<Node> children) {
  return Node{std::move(key), {std::move(name)}, std::move(children)};
}
inline Node Endpoint(std::string name, std::vector<Node> children) {
  return Block("Endpoint", std::move(name), std::move(children));
}
inline Node Plugin(std::vector<Node> children) {
  return Node{"Plugin", {std::string("probewise")}, std::move(children)};
}

// Owns the C structures; the tree stays valid while the object lives.
class Tree {
 public:
  explicit Tree(const Node& root) { fill(root_, root, nullptr); }
  ~Tree() {
    for (char* s : strings_) std::free(s);
  }
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;
  const oconfig_item_t& root() const { return root_; }

 private:
  char* copy(const std::string& s) {
    char* p = static_cast<char*>(std::malloc(s.size() + 1));
    std::memcpy(p, s.c_str(), s.size() + 1);
    strings_.push_back(p);
    return p;
  }
  void fill(oconfig_item_t& item, const Node& node, oconfig_item_t* parent) {
    item.key = copy(node.key);
    item.parent = parent;
    auto& values = values_.emplace_back(node.values.size());
    for (std::size_t i = 0; i < node.values.size(); ++i) {
      oconfig_value_t& v = values[i];
      if (auto s = std::get_if<std::string>(&node.values[i])) {
        v.type = OCONFIG_TYPE_STRING;
        v.value.string = copy(*s);
      } else if (auto d = std::get_if<double>(&node.values[i])) {
        v.type = OCONFIG_TYPE_NUMBER;
        v.value.number = *d;
      } else {
        v.type = OCONFIG_TYPE_BOOLEAN;
        v.value.boolean = std::get<bool>(node.values[i]) ? 1 : 0;
      }
    }
    item.values = values.empty() ? nullptr : values.data();
    item.values_num = static_cast<int>(values.size());
    auto& children = children_.emplace_back(node.children.size());
    for (std::size_t i = 0; i < node.children.size(); ++i) fill(children[i], node.children[i], &item);
    item.children = children.empty() ? nullptr : children.data();
    item.children_num = static_cast<int>(children.size());
  }

  oconfig_item_t root_{};
  std::deque<std::vector<oconfig_value_t>> values_;
  std::deque<std::vector<oconfig_item_t>> children_;
  std::vector<char*> strings_;
};

}  // namespace probewise::testing
