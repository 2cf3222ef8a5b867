// SPDX-License-Identifier: GPL-2.0-or-later
// collectd_plugin/config_lines: where each item of a <Plugin probewise>
// block was written, and Include inside the block at any depth, relative
// to the including file. Files are written to a temporary directory; a
// stand-in for collectd's parser builds the trees from the same text.
#include "config_lines.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "collectd_plugin/collectd_tree.h"
#include "config.h"

namespace probewise {
namespace {

namespace fs = std::filesystem;
using testing::Node;
using testing::Tree;

std::string all(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// Values typed as collectd's scanner types them: quoted strings, then
// booleans, numbers, and other words as strings.
Node to_node(const LocatedNode& n) {
  Node out{n.key, {}, {}};
  for (std::size_t i = 0; i < n.args.size(); ++i) {
    const std::string& a = n.args[i];
    char* end = nullptr;
    const double d = std::strtod(a.c_str(), &end);
    if (n.quoted[i])
      out.values.emplace_back(a);
    else if (a == "true" || a == "yes" || a == "on")
      out.values.emplace_back(true);
    else if (a == "false" || a == "no" || a == "off")
      out.values.emplace_back(false);
    else if (!a.empty() && end && *end == '\0')
      out.values.emplace_back(d);
    else
      out.values.emplace_back(a);
  }
  for (const auto& c : n.children) out.children.push_back(to_node(c));
  return out;
}

// collectd's oconfig_parse_file and oconfig_free, for the tests.
class FakeParser {
 public:
  ConfigParser parser() {
    return ConfigParser{[this](const std::string& path) -> oconfig_item_t* {
                          std::ifstream in(path);
                          if (!in) return nullptr;
                          std::string text((std::istreambuf_iterator<char>(in)), {});
                          auto tree = std::make_unique<Tree>(to_node(parse_located(text, path)));
                          auto* root = const_cast<oconfig_item_t*>(&tree->root());
                          trees_[root] = std::move(tree);
                          ++parsed;
                          return root;
                        },
                        [this](oconfig_item_t* root) { trees_.erase(root); }};
  }
  std::size_t alive() const { return trees_.size(); }
  int parsed = 0;

 private:
  std::map<oconfig_item_t*, std::unique_ptr<Tree>> trees_;
};

class ConfigFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/probewise-config-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path) << text;
    return path;
  }
  // What the plugin does with collectd's block: the block as the fake
  // parser reads it (collectd leaves Include items in it), its place, the
  // Includes expanded, then read_config.
  struct Read {
    std::unique_ptr<Tree> collectd_tree;
    std::vector<LocatedNode> written;
    std::unique_ptr<ExpandedConfig> expanded;
    ConfigResult result;
  };
  Read read(const std::string& main, std::size_t nth = 0) {
    Read r;
    r.written = plugin_blocks(main);
    EXPECT_GT(r.written.size(), nth);
    r.collectd_tree = std::make_unique<Tree>(to_node(r.written.at(nth)));
    r.expanded =
        std::make_unique<ExpandedConfig>(r.collectd_tree->root(), &r.written.at(nth), parser_.parser());
    r.result = read_config(r.expanded->root(), 10, {}, r.expanded.get());
    return r;
  }
  std::string dir_;
  FakeParser parser_;
};

TEST(ConfigLinesParse, StatementsBlocksCommentsContinuations) {
  LocatedNode root = parse_located(
      "# comment\n"
      "Interval 10\n"
      "<Plugin \"probewise\">  # trailing comment\n"
      "  Header \"X-A: 1\" \\\n"
      "    \"more\"\n"
      "  <Endpoint \"a b\">\n"
      "    URL \"http://h/\\\"q\\\"\"\n"
      "  </Endpoint>\n"
      "</Plugin>\n",
      "f.conf");
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0].key, "Interval");
  EXPECT_EQ(root.children[0].line, 2);
  const LocatedNode& plugin = root.children[1];
  EXPECT_EQ(plugin.args, std::vector<std::string>{"probewise"});
  EXPECT_EQ(plugin.line, 3);
  ASSERT_EQ(plugin.children.size(), 2u);
  EXPECT_EQ(plugin.children[0].args, (std::vector<std::string>{"X-A: 1", "more"})) << "a continued line";
  EXPECT_EQ(plugin.children[0].line, 4);
  EXPECT_EQ(plugin.children[1].args, std::vector<std::string>{"a b"});
  EXPECT_EQ(plugin.children[1].line, 6) << "lines count the continued one";
  ASSERT_EQ(plugin.children[1].children.size(), 1u);
  EXPECT_EQ(plugin.children[1].children[0].args, std::vector<std::string>{"http://h/\"q\""});
  EXPECT_EQ(plugin.children[1].children[0].file, "f.conf");
}

TEST_F(ConfigFiles, EveryErrorNamesItsFileAndLine) {
  const std::string main = write("collectd.conf", R"(# collectd.conf
Interval 10
<Plugin "probewise">
  MaxConcurrency 0
  <Endpoint "api">
    URL "http://127.0.0.1/"
    Header "X-A: 1"
    Header "no colon"
    Timeou 5
  </Endpoint>
  <Endpoint "">
    URL "http://127.0.0.1/"
  </Endpoint>
  <Endpoint "nourl">
    Timeout 5
  </Endpoint>
</Plugin>
<Plugin other>
  Timeou 1
</Plugin>
)");
  Read r = read(main);
  const std::string text = all(r.result.errors);
  for (const char* expected : {
           "unknown key \"Timeou\" (did you mean Timeout?) (at {}:9)",
           "Header: expected one \"Name: value\" header line (at {}:8)",  // the second Header, not the first
           "MaxConcurrency: expected a whole number from 1 to 100000, got 0 (at {}:4)",
           "<Endpoint>: expected one name in quotes",
           "URL: missing; every endpoint needs one (at {}:14)",
       }) {
    std::string e = expected;
    auto brace = e.find("{}");
    if (brace != std::string::npos) e.replace(brace, 2, main);
    EXPECT_NE(text.find(e), std::string::npos) << e << "\n" << text;
  }
  EXPECT_NE(text.find("the block is ignored (at " + main + ":11)"), std::string::npos) << text;
  for (const auto& line : r.result.errors)
    EXPECT_NE(line.find(" (at " + main + ":"), std::string::npos) << "without a place: " << line;
}

// A block without Include is collectd's tree as it is: the file is read
// again only when a place is asked for, once, and the places are the same.
TEST_F(ConfigFiles, WithoutIncludeTheFileIsReadOnlyForAPlace) {
  const std::string main = write("collectd.conf", R"(<Plugin probewise>
  <Endpoint "a">
    URL "http://127.0.0.1/a"
  </Endpoint>
  <Endpoint "b">
    URL "http://127.0.0.1/b"
    Timeou 3
  </Endpoint>
</Plugin>
)");
  std::vector<LocatedNode> written = plugin_blocks(main);
  ASSERT_EQ(written.size(), 1u);
  Tree tree(to_node(written[0]));
  int located = 0;
  const ExpandedConfig quiet(
      tree.root(), [&]() -> const LocatedNode* { return ++located, &written[0]; }, parser_.parser());
  EXPECT_EQ(&quiet.root(), &tree.root()) << "no copy without an Include";
  ConfigResult fine = read_config(quiet.root(), 10, {}, nullptr);
  EXPECT_EQ(fine.config.endpoints.size(), 1u);
  EXPECT_EQ(located, 0) << "nothing asked where";
  const ExpandedConfig asked(
      tree.root(), [&]() -> const LocatedNode* { return ++located, &written[0]; }, parser_.parser());
  ConfigResult r = read_config(asked.root(), 10, {}, &asked);
  EXPECT_EQ(located, 1) << "read once, for the error";
  ASSERT_EQ(r.config.endpoints.size(), 1u);
  EXPECT_NE(all(r.errors).find("(did you mean Timeout?) (at " + main + ":7)"), std::string::npos)
      << all(r.errors);
  EXPECT_EQ(asked.where(tree.root().children[1]), main + ":5");
  EXPECT_EQ(located, 1);
}

TEST_F(ConfigFiles, IncludeAtAnyDepthRelativeToTheIncludingFile) {
  write("shared/tls.conf", "VerifyPeer false\nTimeout 3\n");
  write("endpoints/a.conf", R"(<Endpoint "a">
  URL "http://127.0.0.1/a"
  Include "../shared/tls.conf"
</Endpoint>
Include "more"
)");
  write("endpoints/more/b.conf",
        "<Endpoint \"b\">\n  URL \"http://127.0.0.1/b\"\n  Timeuot 2\n</Endpoint>\n");
  write("endpoints/more/README", "not a config file\n");
  const std::string main = write("etc/collectd.conf", R"(Interval 10
<Plugin probewise>
  MaxConcurrency 4
  Include "../endpoints/a.conf"
  <Include "../endpoints">
    Filter "*.none"
  </Include>
</Plugin>
)");
  // b.conf sits in a directory that a.conf includes without a Filter; the
  // README there is not a config: its line is an error in its own file.
  Read r = read(main);
  ASSERT_EQ(r.result.config.endpoints.size(), 1u) << all(r.result.errors);
  const EndpointConfig& a = r.result.config.endpoints[0];
  EXPECT_EQ(a.name, "a");
  EXPECT_FALSE(a.job().spec.verify_peer) << "from shared/tls.conf, two Includes down";
  EXPECT_EQ(a.job().spec.timeout_ms, 3000);
  EXPECT_EQ(r.result.config.max_concurrency, 4);
  const std::string text = all(r.result.errors);
  EXPECT_NE(
      text.find("unknown key \"Timeuot\" (did you mean Timeout?) (at " + dir_ + "/endpoints/more/b.conf:3)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("(at " + dir_ + "/endpoints/more/README:1)"), std::string::npos) << text;
  EXPECT_TRUE(r.expanded->errors().empty()) << all(r.expanded->errors());
  EXPECT_EQ(parser_.alive(), 0u) << "every parsed file freed";
}

TEST_F(ConfigFiles, IncludeProblemsAreErrorsWithTheirPlace) {
  write("loop.conf", "Include \"loop.conf\"\n");
  const std::string main = write("collectd.conf", R"(<Plugin probewise>
  Include "missing.conf"
  Include "loop.conf"
  <Endpoint "a">
    URL "http://127.0.0.1/"
  </Endpoint>
</Plugin>
)");
  Read r = read(main);
  const std::string text = all(r.expanded->errors());
  EXPECT_NE(
      text.find("Include \"missing.conf\": no such file (relative to " + dir_ + ") (at " + main + ":2)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("includes itself; not read again (at " + dir_ + "/loop.conf:1)"), std::string::npos)
      << text;
  EXPECT_EQ(r.result.config.endpoints.size(), 1u) << "the rest of the block still counts";
}

TEST_F(ConfigFiles, TheNthBlockIsTheNthWritten) {
  write("conf.d/20-web.conf",
        "<Plugin probewise>\n  <Endpoint \"web\">\n    Timeout 0\n  </Endpoint>\n</Plugin>\n");
  const std::string main = write("collectd.conf",
                                 "<Plugin probewise>\n  <Endpoint \"api\">\n    URL \"http://h/\"\n"
                                 "  </Endpoint>\n</Plugin>\nInclude \"" +
                                     dir_ + "/conf.d\"\n");
  auto blocks = plugin_blocks(main);
  ASSERT_EQ(blocks.size(), 2u);
  Read r = read(main, 1);
  const std::string text = all(r.result.errors);
  EXPECT_NE(text.find("Timeout: expected a number of seconds greater than 0 and at most 86400, got 0 (at " +
                      dir_ + "/conf.d/20-web.conf:3)"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace probewise
