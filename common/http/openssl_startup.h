// SPDX-License-Identifier: GPL-2.0-or-later
// What a check spares OpenSSL at start-up. Inside curl_global_init(),
// OpenSSL reads openssl.cnf, loads every library's error strings and fills
// the tables of cipher and digest names: about 0.8, 0.9 and 0.7 M
// instructions, the largest costs of a check after the dynamic loader's, and
// a plain HTTP check uses none of them.
#pragma once

#include <string>

namespace probewise {

// Call before curl_global_init(), and only from a process that owns OpenSSL
// (the check), never from a plugin inside another program (collectd): what
// it turns off stays off for everyone in the process.
// - The error strings are not loaded; name_tls_error_codes() loads them when
//   a message needs them (nothing is deferred where this OpenSSL cannot load
//   them later: built without its 3.0 API).
// - Without `tls_possible`, openssl.cnf is not read and the name tables are
//   not filled either: they only matter for TLS.
void lighten_openssl_startup(bool tls_possible);

// `message` with the text of every OpenSSL error code that lacks it: libcurl
// writes "error:0A00010B:lib(20)::reason(267)" while the strings are not
// loaded; this gives "error:0A00010B:SSL routines::wrong version number".
std::string name_tls_error_codes(std::string message);

}  // namespace probewise
