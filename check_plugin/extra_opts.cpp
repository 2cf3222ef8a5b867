// SPDX-License-Identifier: GPL-2.0-or-later
#include "extra_opts.h"

#include <unistd.h>

#include <array>

#include "base/files.h"
#include "base/text.h"

namespace probewise {
namespace {

// An ini file of options is small; one larger than this is not one.
constexpr std::size_t kMaxFileBytes = 64 << 20;

constexpr std::array<const char*, 7> kDefaultFiles{
    "/etc/nagios/plugins.ini",     "/usr/local/nagios/etc/plugins.ini", "/usr/local/etc/nagios/plugins.ini",
    "/etc/opt/nagios/plugins.ini", "/etc/nagios-plugins.ini",           "/usr/local/etc/nagios-plugins.ini",
    "/etc/opt/nagios-plugins.ini"};

Expected<std::vector<std::string>> read_section(const std::string& file, const std::string& section) {
  // Never waits on it (a FIFO), and reads it whole in one go.
  const FileRead f = read_regular_file(file, kMaxFileBytes, false);
  switch (f.problem) {
    case FileRead::Problem::none: break;
    case FileRead::Problem::missing:
    case FileRead::Problem::unreadable: return Error{"--extra-opts: cannot read '" + file + "': " + f.why};
    case FileRead::Problem::not_regular:
    case FileRead::Problem::too_large: return Error{"--extra-opts: '" + file + "' " + f.why};
  }
  std::vector<std::string> out;
  bool inside = false, found = false;
  for (std::size_t start = 0; start < f.text.size();) {
    std::size_t end = f.text.find('\n', start);
    if (end == std::string::npos) end = f.text.size();
    std::string_view l = trim(std::string_view(f.text).substr(start, end - start));
    start = end + 1;
    if (l.empty() || l.front() == '#' || l.front() == ';') continue;
    if (l.front() == '[') {
      inside = l.back() == ']' && trim(l.substr(1, l.size() - 2)) == section;
      found = found || inside;
      continue;
    }
    if (!inside) continue;
    auto eq = l.find('=');
    std::string key(trim(l.substr(0, eq)));
    std::string prefix = key.size() == 1 ? "-" : "--";
    if (eq == std::string_view::npos) {
      out.push_back(prefix + key);
    } else {
      std::string value(trim(l.substr(eq + 1)));
      if (key.size() == 1) {
        out.push_back(prefix + key);
        out.push_back(value);
      } else {
        out.push_back(prefix + key + "=" + value);
      }
    }
  }
  if (!found) return Error{"--extra-opts: no section [" + section + "] in '" + file + "'"};
  return out;
}

}  // namespace

Expected<std::vector<std::string>> expand_extra_opts(const std::vector<std::string>& args,
                                                     const std::string& default_section) {
  std::vector<std::string> out;
  for (const auto& arg : args) {
    if (arg != "--extra-opts" && !starts_with(arg, "--extra-opts=")) {
      out.push_back(arg);
      continue;
    }
    std::string spec = arg.size() > 13 ? arg.substr(13) : "";
    std::string section = default_section, file;
    auto at = spec.find('@');
    if (at != std::string::npos) {
      file = spec.substr(at + 1);
      spec = spec.substr(0, at);
    }
    if (!spec.empty()) section = spec;
    if (file.empty()) {
      for (const char* candidate : kDefaultFiles)
        if (access(candidate, R_OK) == 0) {  // no open(): a FIFO would wait
          file = candidate;
          break;
        }
      if (file.empty()) return Error{"--extra-opts: no plugins.ini found"};
    }
    auto more = read_section(file, section);
    if (!more) return Error{more.error()};
    out.insert(out.end(), more->begin(), more->end());
  }
  return out;
}

}  // namespace probewise
