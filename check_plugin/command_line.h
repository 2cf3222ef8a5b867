// SPDX-License-Identifier: GPL-2.0-or-later
// Boost's command-line parser in linear time. Its parser erases each token
// it consumes from the front of its vector, and it and store() look each
// option up among all of them: 20,000 -k lines of an --extra-opts file took
// 6 s, before the -t alarm. Here it runs on slices of the arguments, cut
// only where a token starts an option of its own and the token before it
// cannot take it as its value; -k/--header options (the one option given by
// the thousand) are read directly where they stand unambiguously, and stored
// in one go. The options and values come out as one parse would give them.
#pragma once

#include <boost/program_options.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "base/expected.h"

namespace probewise {

// Far more than any check needs (60,000 headers are 120,000 arguments).
inline constexpr std::size_t kMaxArguments = 250000;

Expected<boost::program_options::parsed_options> parse_command_line(
    const std::vector<std::string>& args, const boost::program_options::options_description& description,
    int style);

// boost::program_options::store(), but the values of a composing option
// (a std::vector<std::string>, such as -k) are gathered and stored at once.
void store_options(const boost::program_options::parsed_options& parsed,
                   boost::program_options::variables_map& vm);

}  // namespace probewise
