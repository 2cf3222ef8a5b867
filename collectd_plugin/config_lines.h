// SPDX-License-Identifier: GPL-2.0-or-later
// The plugin's configuration as written: collectd's parsed tree
// (oconfig_item_t) keeps no file names or line numbers and leaves an
// `Include` inside a <Plugin> block to the plugin (collectd 5.12 expands
// only top-level ones, relative to its working directory). Here:
//   - the config files are read again, as collectd reads them (top-level
//     Includes in place, sorted, Filter), to find where each <Plugin
//     probewise> block and each of its items was written;
//   - Include items inside the block are expanded at any depth, with paths
//     relative to the file that holds the Include, and the result is a tree
//     of the same C type, so that the reader of the block sees no Include.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

extern "C" {
#include <liboconfig/oconfig.h>
}

namespace probewise {

// One statement or block of a config file, where it was written. Values
// are kept as written (quotes removed, escapes resolved) with whether they
// were quoted; collectd's own parser decides their types.
struct LocatedNode {
  std::string key;
  std::vector<std::string> args;
  std::vector<bool> quoted;
  std::string file;
  int line = 0;
  std::vector<LocatedNode> children;
};

// Reads collectd's config syntax: `Key value ...`, `<Key value>` ...
// `</Key>`, `#` comments, `\` at the end of a line to continue it. Never
// fails: what it cannot read ends the block it is in.
LocatedNode parse_located(const std::string& text, const std::string& file);

// Every <Plugin probewise> block, in the order collectd hands them to the
// plugin: `path` and, in place, the files its top-level Includes name.
std::vector<LocatedNode> plugin_blocks(const std::string& path);

// collectd's parser for one file (oconfig_parse_file) and its free
// (oconfig_free); tests give their own.
struct ConfigParser {
  std::function<oconfig_item_t*(const std::string& path)> parse;
  std::function<void(oconfig_item_t*)> free;
};

// A <Plugin probewise> block with its Includes expanded; owns the tree it
// made. A block without Include is collectd's own tree, used as it is, and
// where its items were written is read only when a place is asked for.
class ExpandedConfig {
 public:
  // `located`: the block as written (from plugin_blocks), or nullptr when
  // it could not be found (then items have no place and relative Include
  // paths are taken from the working directory, as collectd does).
  ExpandedConfig(const oconfig_item_t& block, const LocatedNode* located, const ConfigParser& parser);
  // The same, with the block as written found only when it is needed (an
  // Include to expand, a place asked for); `locate` may return nullptr.
  // Both `block` and what `locate` returns must outlive this object.
  ExpandedConfig(const oconfig_item_t& block, std::function<const LocatedNode*()> locate,
                 const ConfigParser& parser);
  ~ExpandedConfig();
  ExpandedConfig(const ExpandedConfig&) = delete;
  ExpandedConfig& operator=(const ExpandedConfig&) = delete;

  const oconfig_item_t& root() const;
  // "/etc/collectd/collectd.conf:42", for any item of root()'s tree.
  std::optional<std::string> where(const oconfig_item_t& item) const;
  // Include problems (missing file, too deep, a loop), each with its place.
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  struct Item;
  struct Storage;
  void expand(const oconfig_item_t* items, int n, const std::vector<LocatedNode>* twins,
              const std::string& file, int depth, std::vector<std::string>& stack, std::vector<Item>& out);
  void include(const oconfig_item_t& item, const std::optional<std::string>& at, const std::string& file,
               int depth, std::vector<std::string>& stack, std::vector<Item>& out);
  void materialize(oconfig_item_t& dst, Item& src, oconfig_item_t* parent);
  void map_twins(const oconfig_item_t& item, const std::vector<LocatedNode>* twins) const;

  ConfigParser parser_;
  std::function<const LocatedNode*()> locate_;
  std::unique_ptr<Storage> storage_;  // the expanded tree, when the block has an Include
  const oconfig_item_t* root_;
  mutable bool mapped_ = false;  // where_ holds every place that can be known
  mutable std::unordered_map<const oconfig_item_t*, const LocatedNode*> where_;
  std::vector<std::string> errors_;
};

// The config file collectd was started with: -C from /proc/self/cmdline.
std::string collectd_config_path();

}  // namespace probewise
