// SPDX-License-Identifier: GPL-2.0-or-later
// Errors are values: every fallible library call returns Result<T>.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace sdh {

// What failed, the errno where there is one, and the chain of context
// ("reading drop-in /etc/...: line 4: ...") added as the error travels up.
class Error {
 public:
  Error() = default;
  explicit Error(std::string message, int errno_value = 0)
      : message_(std::move(message)), errno_(errno_value) {}

  // Adds an outer context, e.g. "loading nginx.service".
  Error&& with_context(std::string context) && {
    context_.push_back(std::move(context));
    return std::move(*this);
  }
  Error& with_context(std::string context) & {
    context_.push_back(std::move(context));
    return *this;
  }

  const std::string& message() const { return message_; }
  int errno_value() const { return errno_; }
  // Outermost context first, then the message, then strerror(errno).
  std::string to_string() const;

 private:
  std::string message_;
  int errno_ = 0;
  std::vector<std::string> context_;  // innermost first
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(std::string message, int errno_value = 0) {
  return tl::unexpected<Error>(Error(std::move(message), errno_value));
}
inline tl::unexpected<Error> fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

}  // namespace sdh
