// SPDX-License-Identifier: GPL-2.0-or-later
#include "command_line.h"

#include <gtest/gtest.h>

#include <random>

namespace po = boost::program_options;

namespace probewise {
namespace {

using Strings = std::vector<std::string>;

constexpr int kStyle = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;

// The kinds of option check_probewise has: flags, options with a value,
// with an optional value, and the repeated -k.
po::options_description description() {
  po::options_description d;
  d.add_options()("verbose,v", "")("ssl,S", po::value<std::string>()->implicit_value(""), "")(
      "hostname,H", po::value<std::string>(), "")("string,s", po::value<std::string>(), "")(
      "header,k", po::value<Strings>()->composing(), "")("no-body,N", "")("port,p", po::value<int>(), "")(
      "health", po::value<std::string>()->implicit_value("auto"), "");
  return d;
}

// What one Boost parse of everything gives.
std::vector<po::option> boost_alone(const Strings& args, const po::options_description& d) {
  return po::command_line_parser(args).options(d).style(kStyle).allow_unregistered().run().options;
}

std::string describe(const std::vector<po::option>& options) {
  std::string out;
  for (const auto& o : options) {
    out += o.string_key + (o.unregistered ? "?" : "") + "[";
    for (const auto& v : o.value) out += v + ",";
    out += "]<";
    for (const auto& t : o.original_tokens) out += t + " ";
    out += "> ";
  }
  return out;
}

// Random command lines of every kind of token, far longer than a slice:
// the options come out as from one Boost parse. Most are well-formed (an
// option that takes a value has one); a few are not, where Boost's own
// error must stay an error.
TEST(CommandLine, SlicesParseAsOneParse) {
  const po::options_description d = description();
  const std::vector<Strings> items{
      {"-v"},
      {"-vv"},
      {"-N"},
      {"--no-body"},
      {"-Nv"},
      {"-vN"},
      {"-H", "h.ex"},
      {"--hostname", "h.ex"},
      {"-s", "a b"},
      {"-k", "X-A: 1"},
      {"--header", "X-B: 2"},
      {"-p", "8080"},
      {"-S1.2"},
      {"--ssl=1.3"},
      {"--header=X-C: 3"},
      {"-kX-D: 4"},
      {"--string=x"},
      {"-S"},
      {"--ssl"},
      {"--health"},
      {"--health=spring"},
      {"h.example"},
      {"value"},
      {"--unknown"},
      {"-Z"},
      {"-vk", "X-E: 5"},
      {"-"},
      {"-s", "-v"},
      {"-k", "-"},
  };
  std::mt19937 random(18);
  int well_formed = 0;
  for (int round = 0; round < 400; ++round) {
    Strings args;
    const std::size_t n = 20 + random() % 300;
    for (std::size_t i = 0; i < n; ++i) {
      // The last two kinds are the doubtful ones: rarely.
      const std::size_t pick =
          random() % 200 < 199 ? random() % (items.size() - 2) : items.size() - 1 - random() % 2;
      args.insert(args.end(), items[pick].begin(), items[pick].end());
    }
    if (round % 10 == 0) args.insert(args.begin() + static_cast<long>(random() % args.size()), "--");
    if (round % 25 == 0) args.push_back("-k");  // a value missing at the end
    SCOPED_TRACE(round);
    std::string expected, got;
    try {
      expected = describe(boost_alone(args, d));
      ++well_formed;
    } catch (const po::error& e) {
      expected = std::string("error: ") + e.what();
    }
    try {
      auto parsed = parse_command_line(args, d, kStyle);
      ASSERT_TRUE(parsed.ok());
      got = describe(parsed->options);
    } catch (const po::error& e) {
      got = std::string("error: ") + e.what();
    }
    // An error is an error (a later slice may find another first); options are the same.
    if (expected.rfind("error: ", 0) == 0)
      EXPECT_EQ(got.rfind("error: ", 0), 0u) << got;
    else
      EXPECT_EQ(got, expected);
  }
  EXPECT_GT(well_formed, 200);  // the comparison is mostly of options, not of errors
}

TEST(CommandLine, HeadersInBulkAndTheirOrder) {
  const po::options_description d = description();
  Strings args{"-H", "h.example", "-k", "X-First: 0"};
  for (int i = 0; i < 60000; ++i) {
    args.push_back(i % 2 ? "-k" : "--header");
    args.push_back("X-H" + std::to_string(i) + ": v");
  }
  args.push_back("-kX-Last: 1");
  args.push_back("-v");
  auto parsed = parse_command_line(args, d, kStyle);
  ASSERT_TRUE(parsed.ok());
  po::variables_map vm;
  store_options(*parsed, vm);
  const auto& headers = vm["header"].as<Strings>();
  ASSERT_EQ(headers.size(), 60002u);
  EXPECT_EQ(headers.front(), "X-First: 0");
  EXPECT_EQ(headers[1], "X-H0: v");
  EXPECT_EQ(headers.back(), "X-Last: 1");
  EXPECT_EQ(vm["hostname"].as<std::string>(), "h.example");
  EXPECT_EQ(vm.count("verbose"), 1u);
}

TEST(CommandLine, NoHeadersNoEntry) {
  // check_probewise keys its state by the options given: an empty -k entry would change every key.
  const po::options_description d = description();  // the options point to it
  auto parsed = parse_command_line({"-H", "a.example", "-v"}, d, kStyle);
  ASSERT_TRUE(parsed.ok());
  po::variables_map vm;
  store_options(*parsed, vm);
  EXPECT_EQ(vm.count("header"), 0u);
  EXPECT_EQ(vm.size(), 2u);
}

TEST(CommandLine, StoreKeepsBoostsChecks) {
  const po::options_description d = description();
  auto parsed = parse_command_line({"-H", "a.example", "-k", "X: 1", "-H", "b.example"}, d, kStyle);
  ASSERT_TRUE(parsed.ok());
  po::variables_map vm;
  EXPECT_THROW(store_options(*parsed, vm), po::multiple_occurrences);
}

TEST(CommandLine, AbsurdlyManyArgumentsAreRefused) {
  const Strings args(kMaxArguments + 1, "-v");
  auto parsed = parse_command_line(args, description(), kStyle);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().find("250001 arguments"), std::string::npos) << parsed.error();
}

}  // namespace
}  // namespace probewise
