// SPDX-License-Identifier: GPL-2.0-or-later
// Who may read the credential files (SPEC 1.6): a file that its group or
// others may read gets a note with what to run, never a failure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "credentials/credentials.h"
#include "credentials/oauth2.h"

namespace probewise {

// "credential file /etc/x.token can be read by others: chmod 600
// /etc/x.token; it is 0644, owner root"; "" when only its owner may read it,
// or when it cannot be looked at (reading it will say why).
std::string credential_file_note(const std::string& path);

// The notes for every credential file configured (bearer token, Basic
// credentials, header file, OAuth client secret), one per file.
std::vector<std::string> credential_file_notes(const CredentialOptions& files,
                                               const std::optional<OAuth2Config>& oauth2);

}  // namespace probewise
