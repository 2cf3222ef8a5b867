// SPDX-License-Identifier: GPL-2.0-or-later
#include "config_lines.h"

#include <dirent.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "base/text.h"

namespace probewise {
namespace {

constexpr std::size_t kMaxFileBytes = 4 << 20;
constexpr std::size_t kMaxIncludedFiles = 256;

std::optional<std::string> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text;
  text.resize(kMaxFileBytes);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

// The first word of a line and the rest, without quotes around the rest.
std::pair<std::string, std::string> words(std::string_view line) {
  line = trim(line);
  std::size_t end = line.find_first_of(" \t>");
  std::string first(line.substr(0, end));
  std::string_view rest = end == std::string_view::npos ? std::string_view() : trim(line.substr(end));
  if (!rest.empty() && rest.back() == '>') rest = trim(rest.substr(0, rest.size() - 1));
  if (rest.size() >= 2 && rest.front() == '"' && rest.back() == '"') rest = rest.substr(1, rest.size() - 2);
  return {to_lower(first), std::string(rest)};
}

}  // namespace

ConfigLines::ConfigLines(const std::string& path) {
  auto text = slurp(path);
  if (!text) return;
  files_.push_back(path);
  std::vector<std::string> includes;
  scan(0, *text, &includes);
  // Include "/etc/collectd/collectd.conf.d" or a file, optionally with a
  // Filter "*.conf" block: one level, as Debian's default config uses it.
  for (const auto& inc : includes) {
    std::string target = inc, filter = "*";
    auto bar = inc.find('\n');
    if (bar != std::string::npos) target = inc.substr(0, bar), filter = inc.substr(bar + 1);
    struct stat st {};
    if (stat(target.c_str(), &st) != 0) continue;
    std::vector<std::string> paths;
    if (S_ISDIR(st.st_mode)) {
      if (DIR* d = opendir(target.c_str())) {
        while (dirent* e = readdir(d))
          if (e->d_name[0] != '.' && fnmatch(filter.c_str(), e->d_name, 0) == 0)
            paths.push_back(target + "/" + e->d_name);
        closedir(d);
      }
      std::sort(paths.begin(), paths.end());
    } else {
      paths.push_back(target);
    }
    for (const auto& p : paths) {
      if (files_.size() >= kMaxIncludedFiles) return;
      if (auto t = slurp(p)) {
        files_.push_back(p);
        scan(files_.size() - 1, *t, nullptr);
      }
    }
  }
}

ConfigLines::ConfigLines(std::string name, const std::string& text) {
  files_.push_back(std::move(name));
  scan(0, text, nullptr);
}

void ConfigLines::scan(std::size_t file, const std::string& text, std::vector<std::string>* includes) {
  std::istringstream in(text);
  std::string raw;
  int number = 0;
  bool in_plugin = false;
  std::string endpoint;
  std::string pending_include;  // an <Include> block waiting for its Filter
  while (std::getline(in, raw)) {
    ++number;
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    auto [first, rest] = words(line);
    if (includes) {
      if (first == "include") includes->push_back(rest);
      if (first == "<include") pending_include = rest;
      if (first == "filter" && !pending_include.empty()) pending_include += "\n" + rest;
      if (first == "</include") includes->push_back(pending_include), pending_include.clear();
    }
    if (first == "<plugin" && iequals(rest, "probewise")) {
      in_plugin = true;
    } else if (first == "</plugin") {
      in_plugin = false;
    } else if (in_plugin && first == "<endpoint") {
      endpoint = rest;
      lines_.push_back({file, number, endpoint, "<endpoint"});
    } else if (in_plugin && first == "</endpoint") {
      endpoint.clear();
    } else if (in_plugin) {
      lines_.push_back({file, number, endpoint, first});
    }
  }
}

std::optional<std::string> ConfigLines::find(const std::string& endpoint, const std::string& key) const {
  const std::string wanted = key.empty() ? "<endpoint" : to_lower(key);
  const Line* found = nullptr;
  for (const auto& l : lines_) {
    if (l.endpoint != endpoint || l.key != wanted) continue;
    if (found) return std::nullopt;  // twice: which one is meant cannot be told
    found = &l;
  }
  if (!found) return std::nullopt;
  return files_[found->file] + ":" + std::to_string(found->number);
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
