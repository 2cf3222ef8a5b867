// SPDX-License-Identifier: GPL-2.0-or-later
#include "config_lines.h"

#include <dirent.h>
#include <fnmatch.h>
#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>

#include "base/files.h"
#include "base/text.h"

namespace probewise {
namespace {

// Read only to say where an item was written (errors), or to expand an
// Include: 100,000 endpoints take about 8 MB.
constexpr std::size_t kMaxFileBytes = 64 << 20;
// collectd's CF_MAX_DEPTH: how deep Includes may nest.
constexpr int kMaxDepth = 8;
constexpr std::size_t kMaxIncludedFiles = 1024;

// A config file as it is; nothing for one that is no regular file (a FIFO
// would make collectd's start wait for a writer) or larger than the limit.
std::optional<std::string> slurp(const std::string& path) {
  FileRead f = read_regular_file(path, kMaxFileBytes, false);
  if (f.problem != FileRead::Problem::none) return std::nullopt;
  return std::move(f.text);
}

std::string dir_of(const std::string& file) {
  auto slash = file.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : file.substr(0, slash);
}

// One line's tokens: words, quoted strings, and the brackets of blocks.
struct Token {
  std::string text;
  bool quoted = false;
  bool open = false;   // "<"
  bool close = false;  // ">"
  bool slash = false;  // "</"
};

std::vector<Token> tokenize(const std::string& line) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\b') {
      ++i;
    } else if (c == '#') {
      break;
    } else if (c == '<') {
      Token t;
      t.open = true;
      if (i + 1 < line.size() && line[i + 1] == '/') t.slash = true, ++i;
      out.push_back(t);
      ++i;
    } else if (c == '>') {
      Token t;
      t.close = true;
      out.push_back(t);
      ++i;
    } else if (c == '"') {
      Token t;
      t.quoted = true;
      for (++i; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) ++i;
        t.text += line[i];
      }
      ++i;
      out.push_back(t);
    } else {
      Token t;
      while (i < line.size() && std::strchr(" \t\r\b\"<>#", line[i]) == nullptr) t.text += line[i++];
      out.push_back(t);
    }
  }
  return out;
}

// Files an Include names: a glob (collectd uses wordexp), relative to
// `base`, each directory replaced by its entries that match `filter`.
// `matched`: whether the name matched anything (an empty directory does).
std::vector<std::string> include_targets(const std::string& pattern, const std::string& filter,
                                         const std::string& base, bool* matched = nullptr) {
  const std::string full = pattern.empty() || pattern.front() == '/' || pattern.front() == '~'
                               ? pattern
                               : std::filesystem::path(base + "/" + pattern).lexically_normal().string();
  std::vector<std::string> found;
  glob_t g{};
  if (glob(full.c_str(), GLOB_TILDE | GLOB_BRACE, nullptr, &g) == 0)
    for (std::size_t i = 0; i < g.gl_pathc; ++i) found.emplace_back(g.gl_pathv[i]);
  globfree(&g);
  std::sort(found.begin(), found.end());
  if (matched) *matched = !found.empty();
  std::vector<std::string> files;
  for (const auto& path : found) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      std::vector<std::string> entries;
      if (DIR* d = opendir(path.c_str())) {
        while (dirent* e = readdir(d))
          if (e->d_name[0] != '.') entries.push_back(path + "/" + e->d_name);
        closedir(d);
      }
      std::sort(entries.begin(), entries.end());
      for (const auto& e : entries) {
        const std::string name = e.substr(e.rfind('/') + 1);
        if ((filter.empty() || fnmatch(filter.c_str(), name.c_str(), 0) == 0) && stat(e.c_str(), &st) == 0 &&
            S_ISREG(st.st_mode))
          files.push_back(e);
      }
    } else if (S_ISREG(st.st_mode)) {
      const std::string name = path.substr(path.rfind('/') + 1);
      if (filter.empty() || fnmatch(filter.c_str(), name.c_str(), 0) == 0) files.push_back(path);
    }
  }
  return files;
}

std::string filter_of(const LocatedNode& include) {
  for (const auto& c : include.children)
    if (iequals(c.key, "Filter") && !c.args.empty()) return c.args.front();
  return "";
}

// collectd's top level: Includes in place, blocks collected.
void collect_plugin_blocks(const std::string& path, int depth, std::vector<LocatedNode>& out,
                           std::size_t& files) {
  if (depth >= kMaxDepth || ++files > kMaxIncludedFiles) return;
  auto text = slurp(path);
  if (!text) return;
  LocatedNode root = parse_located(*text, path);
  for (auto& node : root.children) {
    if (iequals(node.key, "Include") && !node.args.empty()) {
      // collectd takes a relative top-level Include from its working directory.
      for (const auto& f : include_targets(node.args.front(), filter_of(node), "."))
        collect_plugin_blocks(f, depth + 1, out, files);
    } else if (iequals(node.key, "Plugin") && !node.args.empty() && iequals(node.args.front(), "probewise")) {
      out.push_back(std::move(node));
    }
  }
}

std::string place(const LocatedNode& n) {
  return n.file + ":" + std::to_string(n.line);
}

}  // namespace

LocatedNode parse_located(const std::string& text, const std::string& file) {
  LocatedNode root;
  root.file = file;
  std::vector<LocatedNode*> open{&root};
  std::size_t pos = 0;
  int number = 0;
  while (pos < text.size()) {
    // One logical line: physical lines joined where one ends in a backslash.
    std::string line;
    const int first = number + 1;
    for (;;) {
      std::size_t end = text.find('\n', pos);
      std::string part = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      pos = end == std::string::npos ? text.size() : end + 1;
      ++number;
      if (!part.empty() && part.back() == '\r') part.pop_back();
      if (!part.empty() && part.back() == '\\' && pos < text.size()) {
        part.pop_back();
        line += part;
        continue;
      }
      line += part;
      break;
    }
    std::vector<Token> tokens = tokenize(line);
    if (tokens.empty()) continue;
    LocatedNode node;
    node.file = file;
    node.line = first;
    if (tokens.front().open && tokens.front().slash) {
      if (open.size() > 1) open.pop_back();
      continue;
    }
    const bool block = tokens.front().open;
    std::size_t i = block ? 1 : 0;
    if (i >= tokens.size()) continue;
    node.key = tokens[i].text;
    for (++i; i < tokens.size() && !tokens[i].close; ++i) {
      if (tokens[i].open) continue;
      node.args.push_back(tokens[i].text);
      node.quoted.push_back(tokens[i].quoted);
    }
    open.back()->children.push_back(std::move(node));
    if (block) open.push_back(&open.back()->children.back());
  }
  return root;
}

std::vector<LocatedNode> plugin_blocks(const std::string& path) {
  std::vector<LocatedNode> out;
  std::size_t files = 0;
  collect_plugin_blocks(path, 0, out, files);
  return out;
}

// --- ExpandedConfig ---------------------------------------------------------

namespace {

bool has_include(const oconfig_item_t& item) {
  for (int c = 0; c < item.children_num; ++c) {
    const oconfig_item_t& child = item.children[c];
    if ((child.key && iequals(child.key, "Include")) || has_include(child)) return true;
  }
  return false;
}

// The node written at position i, when it is the same key: once the tree
// and the text disagree, none of the rest can be trusted (twins = nullptr).
const LocatedNode* twin_at(const std::vector<LocatedNode>*& twins, int i, const char* key) {
  if (twins && static_cast<std::size_t>(i) < twins->size() && iequals((*twins)[i].key, key ? key : ""))
    return &(*twins)[i];
  twins = nullptr;
  return nullptr;
}

}  // namespace

// The tree while it is built; materialize() lays it out as oconfig_item_t.
struct ExpandedConfig::Item {
  std::string key;
  std::vector<oconfig_value_t> values;  // strings point into Storage::strings
  std::vector<Item> children;
  const LocatedNode* at = nullptr;
};

struct ExpandedConfig::Storage {
  oconfig_item_t root{};
  std::deque<std::string> strings;
  std::deque<std::vector<oconfig_value_t>> values;
  std::deque<std::vector<oconfig_item_t>> children;
  std::deque<LocatedNode> included;  // where the included files' items were written

  char* keep(const char* s) { return strings.emplace_back(s ? s : "").data(); }
};

ExpandedConfig::ExpandedConfig(const oconfig_item_t& block, const LocatedNode* located,
                               const ConfigParser& parser)
    : ExpandedConfig(
          block, [located] { return located; }, parser) {}

ExpandedConfig::ExpandedConfig(const oconfig_item_t& block, std::function<const LocatedNode*()> locate,
                               const ConfigParser& parser)
    : parser_(parser), locate_(std::move(locate)), root_(&block) {
  // Nothing to expand (the usual case): collectd's tree as it is, and the
  // text read again only if a place is asked for.
  if (!has_include(block)) return;
  storage_ = std::make_unique<Storage>();
  const LocatedNode* located = locate_ ? locate_() : nullptr;
  Item top;
  top.key = block.key ? block.key : "";
  for (int v = 0; v < block.values_num; ++v) {
    oconfig_value_t value = block.values[v];
    if (value.type == OCONFIG_TYPE_STRING) value.value.string = storage_->keep(value.value.string);
    top.values.push_back(value);
  }
  top.at = located;
  std::vector<std::string> stack;
  expand(block.children, block.children_num, located ? &located->children : nullptr,
         located ? located->file : std::string(), 0, stack, top.children);
  materialize(storage_->root, top, nullptr);
  root_ = &storage_->root;
  mapped_ = true;
}

ExpandedConfig::~ExpandedConfig() = default;

const oconfig_item_t& ExpandedConfig::root() const {
  return *root_;
}

std::optional<std::string> ExpandedConfig::where(const oconfig_item_t& item) const {
  if (!mapped_) {
    mapped_ = true;
    if (const LocatedNode* located = locate_ ? locate_() : nullptr) {
      where_[root_] = located;
      map_twins(*root_, &located->children);
    }
  }
  auto found = where_.find(&item);
  if (found == where_.end()) return std::nullopt;
  return place(*found->second);
}

void ExpandedConfig::map_twins(const oconfig_item_t& item, const std::vector<LocatedNode>* twins) const {
  for (int i = 0; i < item.children_num; ++i) {
    const oconfig_item_t& child = item.children[i];
    const LocatedNode* twin = twin_at(twins, i, child.key);
    if (!twin) return;
    where_[&child] = twin;
    map_twins(child, &twin->children);
  }
}

void ExpandedConfig::expand(const oconfig_item_t* items, int n, const std::vector<LocatedNode>* twins,
                            const std::string& file, int depth, std::vector<std::string>& stack,
                            std::vector<Item>& out) {
  for (int i = 0; i < n; ++i) {
    const oconfig_item_t& item = items[i];
    const std::string key = item.key ? item.key : "";
    const LocatedNode* twin = twin_at(twins, i, item.key);
    if (iequals(key, "Include")) {
      include(item, twin ? std::optional(place(*twin)) : std::nullopt, file, depth, stack, out);
      continue;
    }
    Item copy;
    copy.key = key;
    copy.at = twin;
    for (int v = 0; v < item.values_num; ++v) {
      oconfig_value_t value = item.values[v];
      if (value.type == OCONFIG_TYPE_STRING) value.value.string = storage_->keep(value.value.string);
      copy.values.push_back(value);
    }
    expand(item.children, item.children_num, twin ? &twin->children : nullptr, file, depth, stack,
           copy.children);
    out.push_back(std::move(copy));
  }
}

void ExpandedConfig::include(const oconfig_item_t& item, const std::optional<std::string>& at,
                             const std::string& file, int depth, std::vector<std::string>& stack,
                             std::vector<Item>& out) {
  const std::string where = at ? " (at " + *at + ")" : "";
  if (item.values_num != 1 || item.values[0].type != OCONFIG_TYPE_STRING || !item.values[0].value.string) {
    errors_.push_back("Include: expected one file or directory name in quotes" + where);
    return;
  }
  const std::string pattern = item.values[0].value.string;
  std::string filter;
  for (int c = 0; c < item.children_num; ++c) {
    const oconfig_item_t& child = item.children[c];
    if (child.key && iequals(child.key, "Filter") && child.values_num == 1 &&
        child.values[0].type == OCONFIG_TYPE_STRING)
      filter = child.values[0].value.string;
    else
      errors_.push_back("<Include \"" + pattern + "\">: only Filter \"*.conf\" may be inside" + where);
  }
  if (depth + 1 >= kMaxDepth) {
    errors_.push_back("Include \"" + pattern + "\": Includes nest more than " + std::to_string(kMaxDepth) +
                      " deep; not read" + where);
    return;
  }
  const std::string base = file.empty() ? "." : dir_of(file);
  bool matched = false;
  const std::vector<std::string> targets = include_targets(pattern, filter, base, &matched);
  if (!matched) {
    errors_.push_back("Include \"" + pattern + "\": no such file" +
                      (pattern.front() == '/' ? std::string() : " (relative to " + base + ")") + where);
    return;
  }
  for (const auto& target : targets) {
    char* real = realpath(target.c_str(), nullptr);
    const std::string canonical = real ? real : target;
    std::free(real);
    if (std::find(stack.begin(), stack.end(), canonical) != stack.end()) {
      errors_.push_back("Include \"" + pattern + "\": " + target + " includes itself; not read again" +
                        where);
      continue;
    }
    oconfig_item_t* parsed = parser_.parse ? parser_.parse(target) : nullptr;
    if (!parsed) {
      errors_.push_back("Include \"" + pattern + "\": " + target + " cannot be read or parsed" + where);
      continue;
    }
    auto text = slurp(target);
    const LocatedNode& located =
        storage_->included.emplace_back(parse_located(text ? *text : std::string(), target));
    stack.push_back(canonical);
    expand(parsed->children, parsed->children_num, &located.children, target, depth + 1, stack, out);
    stack.pop_back();
    if (parser_.free) parser_.free(parsed);
  }
}

void ExpandedConfig::materialize(oconfig_item_t& dst, Item& src, oconfig_item_t* parent) {
  dst.key = storage_->keep(src.key.c_str());
  dst.parent = parent;
  auto& values = storage_->values.emplace_back(std::move(src.values));
  dst.values = values.empty() ? nullptr : values.data();
  dst.values_num = static_cast<int>(values.size());
  auto& children = storage_->children.emplace_back(src.children.size());
  for (std::size_t i = 0; i < src.children.size(); ++i) materialize(children[i], src.children[i], &dst);
  dst.children = children.empty() ? nullptr : children.data();
  dst.children_num = static_cast<int>(children.size());
  if (src.at) where_[&dst] = src.at;
}

std::string collectd_config_path() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> args;
  std::string arg;
  while (std::getline(in, arg, '\0')) args.push_back(arg);
  for (std::size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == "-C") return args[i + 1];
  for (const auto& a : args)
    if (a.size() > 2 && starts_with(a, "-C")) return a.substr(2);
  return "/etc/collectd/collectd.conf";
}

}  // namespace probewise
