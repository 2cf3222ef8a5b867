// SPDX-License-Identifier: GPL-2.0-or-later
#include "command_line.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <utility>

namespace po = boost::program_options;

namespace probewise {
namespace {

// Tokens per slice: each costs the square of its size, all of them
// together grow linearly.
constexpr std::size_t kSlice = 32;

// Whether an option of `name` ("--header", "-k") takes no value, so that the
// token after it can only start something new.
bool takes_no_value(const std::string& name, const po::options_description& d) {
  const po::option_description* o = d.find_nothrow(name, false);
  return o && o->semantic()->max_tokens() == 0;
}

// Whether `token` is complete in itself: a value or positional (no '-'),
// "--name=value", a flag, "-kVALUE" or a group of flags ("-vvv"). When in
// doubt (an unknown option, one that takes a value), it is not.
bool complete(const std::string& token, const po::options_description& d) {
  if (token.size() < 2 || token[0] != '-') return true;
  if (token == "--") return false;
  if (token[1] == '-') return token.find('=') != std::string::npos || takes_no_value(token, d);
  const std::string first = token.substr(0, 2);
  if (!d.find_nothrow(first, false)) return false;
  if (!takes_no_value(first, d)) return token.size() > 2;  // "-kVALUE"
  for (std::size_t i = 2; i < token.size(); ++i)
    if (!takes_no_value(std::string("-") + token[i], d)) return false;
  return true;
}

// A -k/--header option at args[i], when it stands there without any doubt
// ("-k VALUE", "-kVALUE", "--header VALUE", "--header=VALUE", a VALUE not
// starting with '-'): how many tokens it takes (0: none).
std::size_t header_at(const std::vector<std::string>& args, std::size_t i, std::string& value) {
  const std::string& t = args[i];
  const bool separate = t == "-k" || t == "--header";
  if (separate && i + 1 < args.size() && !args[i + 1].empty() && args[i + 1][0] != '-') {
    value = args[i + 1];
    return 2;
  }
  if (t.size() > 2 && t[0] == '-' && t[1] == 'k') {
    value = t.substr(2);
    return 1;
  }
  if (t.compare(0, 9, "--header=") == 0) {
    value = t.substr(9);
    return 1;
  }
  return 0;
}

}  // namespace

Expected<po::parsed_options> parse_command_line(const std::vector<std::string>& args,
                                                const po::options_description& description, int style) {
  if (args.size() > kMaxArguments)
    return Error{std::to_string(args.size()) + " arguments (with --extra-opts): more than " +
                 std::to_string(kMaxArguments) + " is not a check's configuration"};
  po::parsed_options all(&description);
  std::size_t begin = 0;  // of the slice that Boost parses next
  auto parse_to = [&](std::size_t end) {
    if (end == begin) return;
    std::vector<std::string> slice(args.begin() + static_cast<long>(begin),
                                   args.begin() + static_cast<long>(end));
    po::parsed_options parsed =
        po::command_line_parser(slice).options(description).style(style).allow_unregistered().run();
    std::move(parsed.options.begin(), parsed.options.end(), std::back_inserter(all.options));
    begin = end;
  };
  // After "--" every token is positional: Boost reads the rest.
  const auto end_of_options =
      static_cast<std::size_t>(std::find(args.begin(), args.end(), "--") - args.begin());
  std::string value;
  // Where an option certainly starts: the start, right after a slice, or
  // after a token that cannot take what follows as its value (a look-up
  // among all the options: asked only where it matters).
  auto starts = [&](std::size_t i) { return i == begin || complete(args[i - 1], description); };
  for (std::size_t i = 0; i < end_of_options;) {
    if (const std::size_t taken = header_at(args, i, value); taken > 0 && starts(i)) {
      parse_to(i);
      po::option header("header", {value});
      header.original_tokens.assign(args.begin() + static_cast<long>(i),
                                    args.begin() + static_cast<long>(i + taken));
      all.options.push_back(std::move(header));
      i += taken;
      begin = i;
      continue;
    }
    if (i - begin >= kSlice && args[i].size() > 1 && args[i][0] == '-' && starts(i)) parse_to(i);
    ++i;
  }
  parse_to(args.size());
  return all;
}

void store_options(const po::parsed_options& parsed, po::variables_map& vm) {
  std::map<std::string, std::vector<std::string>> gathered;  // by the name of each composing option
  for (const auto& d : parsed.description->options())
    if (d->semantic()->is_composing()) gathered.emplace(d->long_name(), std::vector<std::string>{});
  po::parsed_options rest(parsed.description);
  for (const auto& o : parsed.options) {
    auto composing = o.unregistered ? gathered.end() : gathered.find(o.string_key);
    if (composing != gathered.end())
      composing->second.insert(composing->second.end(), o.value.begin(), o.value.end());
    else
      rest.options.push_back(o);
  }
  po::store(rest, vm);
  for (auto& [name, values] : gathered)
    if (!values.empty()) vm.emplace(name, po::variable_value(boost::any(std::move(values)), false));
}

}  // namespace probewise
