// SPDX-License-Identifier: GPL-2.0-or-later
// http/openssl_startup: error codes that libcurl wrote without their text
// (OpenSSL's strings not loaded) get it back; everything else is left alone.
// The codes and texts are OpenSSL 3's (ERR_error_string_n's format).
#include "http/openssl_startup.h"

#include <gtest/gtest.h>

namespace probewise {
namespace {

TEST(NameTlsErrorCodes, GivesCodesTheirText) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      // libcurl's handshake error against a plain HTTP port
      {"OpenSSL/3.0.19: error:0A00010B:lib(20)::reason(267)",
       "OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number"},
      // a system error: OpenSSL writes errno's text itself, only the library is missing
      {"could not load PEM client certificate from /x, OpenSSL error error:80000002:lib(2)::No such file or "
       "directory, (no key found, wrong pass phrase, or wrong file format?)",
       "could not load PEM client certificate from /x, OpenSSL error error:80000002:system library::No such "
       "file "
       "or directory, (no key found, wrong pass phrase, or wrong file format?)"},
      // two codes in one message
      {"error:0A00010B:lib(20)::reason(267); error:0A000410:lib(20)::reason(1040)",
       "error:0A00010B:SSL routines::wrong version number; error:0A000410:SSL routines::sslv3 alert "
       "handshake "
       "failure"},
  };
  for (const auto& c : cases) EXPECT_EQ(name_tls_error_codes(c.in), c.out) << c.in;
}

TEST(NameTlsErrorCodes, LeavesEverythingElseAlone) {
  const char* unchanged[] = {
      "",
      "Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server",
      "OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number",  // named already
      "error:",
      "error:0A00010B",
      "error:0A00010B:",
      "error:XYZ00000:lib(20)::reason(267)",
      "error:0A00010B:lib(20",
      "error:0A00010B:lib()::reason()",
  };
  for (const char* text : unchanged) EXPECT_EQ(name_tls_error_codes(text), text) << text;
}

}  // namespace
}  // namespace probewise
