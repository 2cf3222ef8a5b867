// SPDX-License-Identifier: GPL-2.0-or-later
// credentials/file_access: SPEC 1.6's note for a credential file that its
// group or others may read.
#include "credentials/file_access.h"

#include <grp.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace probewise {
namespace {

class FileAccess : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/probewise-files-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { (void)std::system(("rm -rf '" + dir_ + "'").c_str()); }

  std::string file(const std::string& name, mode_t mode) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << "secret\n";
    chmod(path.c_str(), mode);
    return path;
  }

  std::string dir_;
};

TEST_F(FileAccess, PrivateFilesGetNoNote) {
  EXPECT_EQ(credential_file_note(file("token", 0600)), "");
  EXPECT_EQ(credential_file_note(file("ro", 0400)), "");
  EXPECT_EQ(credential_file_note(dir_ + "/missing"), "") << "reading it will say why";
  EXPECT_EQ(credential_file_note(""), "");
}

TEST_F(FileAccess, ReadableByOthersSaysModeOwnerAndTheChmod) {
  const std::string path = file("token", 0644);
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  const std::string group = getgrgid(st.st_gid)->gr_name;
  const std::string me = getpwuid(geteuid())->pw_name;
  EXPECT_EQ(credential_file_note(path), "credential file " + path + " can be read by its group (" + group +
                                            ") and others: chmod 600 " + path + "; it is 0644, owner " + me);
}

TEST_F(FileAccess, WhoMayRead) {
  const std::string group = credential_file_note(file("g", 0640));
  EXPECT_NE(group.find("can be read by its group ("), std::string::npos) << group;
  EXPECT_EQ(group.find("others"), std::string::npos) << group;
  EXPECT_NE(group.find("; it is 0640, owner "), std::string::npos) << group;
  const std::string others = credential_file_note(file("o", 0604));
  EXPECT_NE(others.find("can be read by others: chmod 600 "), std::string::npos) << others;
  // Writable, not readable, by others: nothing to read there.
  EXPECT_EQ(credential_file_note(file("w", 0602)), "");
}

TEST_F(FileAccess, PathsThatNeedQuotingAreQuoted) {
  const std::string path = file("my token's file", 0644);
  const std::string note = credential_file_note(path);
  EXPECT_NE(note.find("chmod 600 '" + dir_ + "/my token'\\''s file'"), std::string::npos) << note;
}

TEST_F(FileAccess, OneNotePerFileOfEveryKind) {
  CredentialOptions o;
  o.bearer_token_file = file("bearer", 0644);
  o.basic_auth_file = file("basic", 0600);
  o.header_file = file("headers", 0640);
  OAuth2Config oauth;
  oauth.client_secret_file = o.bearer_token_file;  // the same file twice
  const auto notes = credential_file_notes(o, oauth);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_NE(notes[0].find(o.bearer_token_file), std::string::npos);
  EXPECT_NE(notes[1].find(o.header_file), std::string::npos);
  oauth.client_secret_file = file("client", 0644);
  EXPECT_EQ(credential_file_notes(o, oauth).size(), 3u);
  EXPECT_EQ(credential_file_notes(o, std::nullopt).size(), 2u);
}

}  // namespace
}  // namespace probewise
