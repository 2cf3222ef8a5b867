// SPDX-License-Identifier: GPL-2.0-or-later
#include "support/recorded.h"

#include <dirent.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "base/text.h"

namespace probewise::testing {
namespace {

Transport transport_named(const std::string& name) {
  static const std::map<std::string, Transport> names{{"ok", Transport::ok},
                                                      {"dns", Transport::dns},
                                                      {"refused", Transport::refused},
                                                      {"timeout", Transport::timeout},
                                                      {"unreachable", Transport::unreachable},
                                                      {"tls_handshake", Transport::tls_handshake},
                                                      {"tls_untrusted", Transport::tls_untrusted},
                                                      {"error", Transport::error}};
  auto it = names.find(name);
  if (it == names.end()) throw std::runtime_error("unknown transport " + name);
  return it->second;
}

}  // namespace

std::vector<std::string> split_args(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false, any = false;
  for (char c : text) {
    if (c == '\'') {
      quoted = !quoted;
      any = true;
    } else if (c == ' ' && !quoted) {
      if (any) out.push_back(cur);
      cur.clear();
      any = false;
    } else {
      cur += c;
      any = true;
    }
  }
  if (any) out.push_back(cur);
  return out;
}

RecordedFile read_recorded_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  RecordedFile f;
  f.name = path.substr(path.find_last_of('/') + 1);
  auto sep = text.find("\n----\n");
  f.has_separator = sep != std::string::npos;
  f.content = f.has_separator ? text.substr(sep + 6) : "";
  std::istringstream lines(text.substr(0, sep));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    f.keys[std::string(trim(line.substr(0, colon)))].push_back(std::string(trim(line.substr(colon + 1))));
  }
  return f;
}

std::string recorded_test_name(const std::string& path) {
  std::string n = path.substr(path.find_last_of('/') + 1);
  n = n.substr(0, n.size() - 4);
  for (auto& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

RecordedCase load_recorded(const std::string& path) {
  RecordedFile f = read_recorded_file(path);
  RecordedCase c;
  c.name = f.name;
  for (const auto& [key, values] : f.keys) c.keys[key] = values.back();
  const std::string& answer = f.content;
  ProbeResult& r = c.result;
  r.transport = transport_named(c.keys.count("transport") ? c.keys["transport"] : "ok");
  if (c.keys.count("curl_code")) r.curl_code = std::stoi(c.keys["curl_code"]);
  if (c.keys.count("error")) r.error = c.keys["error"];
  if (c.keys.count("time_ms")) r.timings.total_us = std::stoll(c.keys["time_ms"]) * 1000;
  r.port = c.keys.count("port") ? std::stoi(c.keys["port"]) : 80;
  if (!answer.empty()) {
    // Headers end at the first empty line; lines may end in \r\n or \n.
    auto end = answer.find("\r\n\r\n");
    std::size_t body_at = end == std::string::npos ? std::string::npos : end + 4;
    if (end == std::string::npos) {
      end = answer.find("\n\n");
      body_at = end == std::string::npos ? answer.size() : end + 2;
    }
    r.header_block = answer.substr(0, std::min(body_at, answer.size()));
    r.body = body_at < answer.size() ? answer.substr(body_at) : "";
    r.header_bytes = r.header_block.size();
    r.body_bytes = r.body.size();
    std::string first = r.header_block.substr(0, r.header_block.find('\n'));
    first = std::string(trim(first));
    r.status_line = first;
    std::istringstream sl(first);
    sl >> r.http_version >> r.status;
    std::getline(sl, r.reason_phrase);
    r.reason_phrase = std::string(trim(r.reason_phrase));
    r.headers = parse_header_block(r.header_block);
    r.effective_url = c.keys.count("url") ? c.keys["url"] : "http://example.com/";
  }
  return c;
}

std::vector<std::string> recorded_files(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 4 && n.substr(n.size() - 4) == ".txt") out.push_back(dir + "/" + n);
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace probewise::testing
