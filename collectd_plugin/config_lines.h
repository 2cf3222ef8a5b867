// SPDX-License-Identifier: GPL-2.0-or-later
// Where a key of the plugin's configuration is written. collectd's parsed
// tree (oconfig_item_t) keeps no line numbers, so error messages find the
// line by reading the config file again: best effort, the file given with
// -C (else Debian's /etc/collectd/collectd.conf) and the files it includes.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace probewise {

class ConfigLines {
 public:
  // Reads `path` and, one level deep, the files and directories it includes.
  explicit ConfigLines(const std::string& path);
  // Lines of already read files (tests).
  ConfigLines(std::string name, const std::string& text);

  // "/etc/collectd/collectd.conf:42" for `key` in <Endpoint "endpoint"> of a
  // <Plugin probewise> block (key "" = the <Endpoint> line itself; endpoint
  // "" = the <Plugin> block's own keys); nullopt when it is not found once.
  std::optional<std::string> find(const std::string& endpoint, const std::string& key) const;

 private:
  struct Line {
    std::size_t file;
    int number;
    std::string endpoint;  // the <Endpoint> it is in, "" outside one
    std::string key;       // first word, lower case; "<endpoint" for the block line
  };
  void scan(std::size_t file, const std::string& text, std::vector<std::string>* includes);
  std::vector<std::string> files_;
  std::vector<Line> lines_;
};

// The config file collectd was started with: -C from /proc/self/cmdline.
std::string collectd_config_path();

}  // namespace probewise
