// SPDX-License-Identifier: GPL-2.0-or-later
// A value or the reason there is none: what every parser of user input returns.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace probewise {

struct Error {
  std::string message;  // says what was wrong and where, ready for the user
};

template <class T>
class Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}
  Expected(Error error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  const std::string& error() const { return std::get<1>(v_).message; }

 private:
  std::variant<T, Error> v_;
};

}  // namespace probewise
