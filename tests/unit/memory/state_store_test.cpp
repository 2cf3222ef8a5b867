// SPDX-License-Identifier: GPL-2.0-or-later
#include "memory/state_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "memory/change.h"

namespace probewise {
namespace {

class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/probewise-state-XXXXXX";
    base_ = mkdtemp(tmpl);
  }
  void TearDown() override { std::system(("rm -rf " + base_).c_str()); }
  std::string base_;
};

StoredState sample(int status, const std::string& reason, std::time_t since) {
  StoredState s;
  s.status = status;
  s.status_text = std::to_string(status);
  s.reason = reason;
  s.since = since;
  s.checked = since;
  return s;
}

TEST_F(StateStoreTest, CreatesAPrivateDirectoryAndRoundTrips) {
  auto store = StateStore::open(base_ + "/a/b");
  ASSERT_TRUE(store.ok()) << store.error();
  struct stat st {};
  ASSERT_EQ(stat((base_ + "/a/b").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_TRUE(store->save("k1", sample(200, "ok", 100)).ok());
  auto back = store->load("k1");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->status, 200);
  EXPECT_EQ(back->reason, "ok");
  EXPECT_EQ(back->since, 100);
  ASSERT_EQ(stat((base_ + "/a/b/k1.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(store->load("missing").has_value());
}

TEST_F(StateStoreTest, RefusesLinksAndOpenDirectories) {
  ASSERT_EQ(symlink("/etc", (base_ + "/link").c_str()), 0);
  auto linked = StateStore::open(base_ + "/link");
  ASSERT_FALSE(linked.ok());
  EXPECT_NE(linked.error().find("symbolic link"), std::string::npos);
  ASSERT_EQ(mkdir((base_ + "/open").c_str(), 0777), 0);
  chmod((base_ + "/open").c_str(), 0777);
  EXPECT_FALSE(StateStore::open(base_ + "/open").ok());
  EXPECT_FALSE(StateStore::open("relative/dir").ok());
}

TEST_F(StateStoreTest, NeverFollowsAPlantedFileLink) {
  auto store = StateStore::open(base_);
  ASSERT_TRUE(store.ok());
  std::ofstream(base_ + "/target") << "{\"reason\":\"ok\",\"since\":5}";
  ASSERT_EQ(symlink((base_ + "/target").c_str(), (base_ + "/k.json").c_str()), 0);
  EXPECT_FALSE(store->load("k").has_value());
  ASSERT_TRUE(store->save("k", sample(500, "http.server_error", 7)).ok());  // replaces the link
  struct stat st {};
  ASSERT_EQ(lstat((base_ + "/k.json").c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  std::ifstream target(base_ + "/target");
  std::string content((std::istreambuf_iterator<char>(target)), {});
  EXPECT_EQ(content, "{\"reason\":\"ok\",\"since\":5}");
}

TEST_F(StateStoreTest, UnwritableDirectoryIsAnErrorNotACrash) {
  if (geteuid() == 0) GTEST_SKIP() << "root writes anywhere";
  ASSERT_EQ(mkdir((base_ + "/ro").c_str(), 0500), 0);
  EXPECT_FALSE(StateStore::open(base_ + "/ro").ok());
}

// Two processes writing the same key at once never leave a torn file.
TEST_F(StateStoreTest, ConcurrentWritersLeaveAWholeFile) {
  auto store = StateStore::open(base_);
  ASSERT_TRUE(store.ok());
  std::vector<pid_t> children;
  for (int c = 0; c < 4; ++c) {
    pid_t pid = fork();
    if (pid == 0) {
      for (int i = 0; i < 200; ++i) (void)store->save("race", sample(200 + c, "ok", 1000 + i));
      _exit(0);
    }
    children.push_back(pid);
  }
  for (int i = 0; i < 200; ++i) {
    auto s = store->load("race");
    if (s) {
      EXPECT_GE(s->status, 200);
    }
  }
  for (pid_t pid : children) waitpid(pid, nullptr, 0);
  auto last = store->load("race");
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->since, 1199);
  EXPECT_NE(system(("ls " + base_ + " | grep -q tmp").c_str()), 0) << "no temporary files left";
}

ino_t inode_of(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// A check that finds what it found last time moves the file's time and
// writes nothing; load() reads that time as the last check (and success).
TEST_F(StateStoreTest, RecordTouchesASteadyStateAndRewritesAChange) {
  auto store = StateStore::open(base_);
  ASSERT_TRUE(store.ok());
  const std::string file = base_ + "/k.json";
  Observation ok{200, "200 OK", "ok", State::ok, "fp1", true};
  StoredState first = next_state(std::nullopt, ok, 1000);
  ASSERT_TRUE(store->record("k", first, std::nullopt).ok());
  const ino_t written = inode_of(file);
  ASSERT_NE(written, 0u);

  auto before = store->load("k");
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->checked, 1000);
  ASSERT_TRUE(store->record("k", next_state(before, ok, 1060), state_meaning(*before)).ok());
  EXPECT_EQ(inode_of(file), written) << "the same state is not written again";
  auto touched = store->load("k");
  ASSERT_TRUE(touched.has_value());
  EXPECT_EQ(touched->checked, 1060);
  EXPECT_EQ(touched->last_success, 1060) << "a success seen again is the last success";
  EXPECT_EQ(touched->since, 1000);

  Observation denied{401, "401 Unauthorized", "auth.invalid_credentials", State::warning, "fp1", false};
  ASSERT_TRUE(store->record("k", next_state(touched, denied, 1120), state_meaning(*touched)).ok());
  const ino_t changed = inode_of(file);
  EXPECT_NE(changed, written) << "a change is written";
  auto after = store->load("k");
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->reason, "auth.invalid_credentials");
  EXPECT_EQ(after->since, 1120);
  EXPECT_EQ(after->last_success, 1060);

  ASSERT_TRUE(store->record("k", next_state(after, denied, 1180), state_meaning(*after)).ok());
  EXPECT_EQ(inode_of(file), changed);
  auto still = store->load("k");
  ASSERT_TRUE(still.has_value());
  EXPECT_EQ(still->checked, 1180);
  EXPECT_EQ(still->last_success, 1060) << "a failure seen again leaves the last success where it was";
  EXPECT_EQ(still->since, 1120);

  // A file gone since it was loaded is written again, not lost.
  ASSERT_EQ(unlink(file.c_str()), 0);
  ASSERT_TRUE(store->record("k", next_state(still, denied, 1240), state_meaning(*still)).ok());
  auto back = store->load("k");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->checked, 1240);
  EXPECT_EQ(back->since, 1120);
}

TEST(StateMeaning, IgnoresWhenNotWhat) {
  Observation ok{200, "200 OK", "ok", State::ok, "fp1", true};
  StoredState a = next_state(std::nullopt, ok, 1000);
  StoredState b = next_state(a, ok, 1060);
  EXPECT_EQ(state_meaning(a), state_meaning(b));
  Observation slow{200, "200 OK", "ok", State::warning, "fp1", false};
  EXPECT_NE(state_meaning(a), state_meaning(next_state(a, slow, 1060)));
  Observation other_key{200, "200 OK", "ok", State::ok, "fp2", true};
  EXPECT_NE(state_meaning(a), state_meaning(next_state(a, other_key, 1060)));
}

TEST(StateJson, RejectsGarbage) {
  EXPECT_FALSE(parse_state_json("not json").ok());
  EXPECT_FALSE(parse_state_json("[]").ok());
  EXPECT_FALSE(parse_state_json("{\"status\":200}").ok());
  auto s = parse_state_json(serialize_state(sample(401, "auth.expired_credentials", 9)));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->reason, "auth.expired_credentials");
}

TEST(StateKey, StableAndFileNameSafe) {
  EXPECT_EQ(state_key("a"), state_key("a"));
  EXPECT_NE(state_key("a"), state_key("b"));
  EXPECT_EQ(state_key("a").size(), 32u);
}

// SPEC 1.4's example: "changed from 200 OK (for 3d 4h, since 2026-11-24 10:02 UTC) to 401".
TEST(Change, MessageNamesTheChangeAndItsDuration) {
  StoredState prev = sample(200, "ok", 1795514520);  // 2026-11-24 10:02 UTC
  prev.status_text = "200 OK";
  prev.last_success = 1795514520 + 100;
  prev.success_credentials = "fp1";
  Observation now_seen{401, "401 Unauthorized", "auth.invalid_credentials", State::warning, "fp1", false};
  const std::time_t now = 1795514520 + 3 * 86400 + 4 * 3600 + 59;
  auto c = detect_change(prev, now_seen, now);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->message, "changed from 200 OK (for 3d 4h, since 2026-11-24 10:02 UTC) to 401 Unauthorized");
  EXPECT_TRUE(c->same_credentials_as_success);
  now_seen.credentials = "fp2";
  EXPECT_FALSE(detect_change(prev, now_seen, now)->same_credentials_as_success);
  Observation same{200, "200 OK", "ok", State::ok, "fp1", true};
  EXPECT_FALSE(detect_change(prev, same, now).has_value());
  EXPECT_FALSE(detect_change(std::nullopt, same, now).has_value());
}

TEST(Change, NextStateKeepsSinceWhileUnchanged) {
  StoredState prev = sample(200, "ok", 100);
  Observation same{200, "200 OK", "ok", State::ok, "fp", true};
  EXPECT_EQ(next_state(prev, same, 500).since, 100);
  EXPECT_EQ(next_state(prev, same, 500).last_success, 500);
  Observation denied{401, "401", "auth.invalid_credentials", State::warning, "fp", false};
  auto s = next_state(prev, denied, 600);
  EXPECT_EQ(s.since, 600);
  EXPECT_EQ(s.last_success, prev.last_success);
}

TEST(Change, Durations) {
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(59), "59s");
  EXPECT_EQ(format_duration(61), "1m 1s");
  EXPECT_EQ(format_duration(3600), "1h");
  EXPECT_EQ(format_duration(2 * 86400 + 5), "2d");
  EXPECT_EQ(format_duration(3 * 86400 + 4 * 3600 + 5 * 60), "3d 4h");
}

// SPEC 1.6: a state file never holds a URL secret, whatever the server wrote
// into its reason phrase.
TEST(StateJson, UrlSecretsRedacted) {
  StoredState s = sample(302, "http.redirect", 9);
  s.status_text = "302 see https://h/?access_token=tok1";
  const std::string text = serialize_state(s);
  EXPECT_EQ(text.find("tok1"), std::string::npos) << text;
  auto back = parse_state_json(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->status_text, "302 see https://h/?access_token=[redacted]");
}

}  // namespace
}  // namespace probewise
