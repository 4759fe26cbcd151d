// SPDX-License-Identifier: GPL-2.0-or-later
// Reading untrusted JSON (profiles, audits, policies) against its documented
// schema: every member has the type the schema says or the whole document is
// refused, with the member's location ("executables[2].files[0].count:
// expected a non-negative integer, got -1"). nlohmann's own get<T>() would
// wrap a negative number into a huge unsigned one and iterate a string as if
// it were an array of one; these helpers do neither.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace sdh::json_in {

// Thrown by the readers below, caught at the document's boundary (see read()).
class SchemaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A JSON value and where it sits in the document.
class Node {
 public:
  Node(const nlohmann::json& j, std::string where) : j_(j), where_(std::move(where)) {}
  const nlohmann::json& json() const { return j_; }
  const std::string& where() const { return where_; }

  [[noreturn]] void refuse(const std::string& what) const;
  Node& expect_object() {
    if (!j_.is_object()) refuse("expected an object, got " + kind());
    return *this;
  }
  Node& expect_array() {
    if (!j_.is_array()) refuse("expected an array, got " + kind());
    return *this;
  }
  bool has(const char* key) const { return j_.is_object() && j_.contains(key) && !j_.at(key).is_null(); }
  // A member; the object must be one (expect_object first).
  Node member(const char* key) const;
  // Each element of an array member (absent or null: none); `f(Node)`.
  template <typename F>
  void each(const char* key, F&& f) const {
    if (!has(key)) return;
    Node arr = member(key);
    arr.expect_array();
    for (size_t i = 0; i < arr.j_.size(); ++i) f(Node(arr.j_[i], arr.where_ + "[" + std::to_string(i) + "]"));
  }
  // Reads an optional member into `out` (absent or null: `out` unchanged).
  template <typename T>
  void get(const char* key, T& out) const {
    if (has(key)) member(key).to(out);
  }
  template <typename T>
  void to(T& out) const;

 private:
  std::string kind() const { return j_.type_name(); }
  const nlohmann::json& j_;
  std::string where_;
};

template <typename T>
void Node::to(T& out) const {
  if constexpr (std::is_same_v<T, bool>) {
    if (!j_.is_boolean()) refuse("expected true or false, got " + kind());
    out = j_.get<bool>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!j_.is_string()) refuse("expected a string, got " + kind());
    out = j_.get<std::string>();
    if (out.find('\0') != std::string::npos) refuse("a string holds a NUL character");
  } else if constexpr (std::is_same_v<T, char>) {
    std::string s;
    to(s);
    if (s.size() != 1) refuse("expected one character");
    out = s[0];
  } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
    if (!j_.is_number_unsigned()) refuse("expected a non-negative integer, got " + j_.dump());
    auto v = j_.get<uint64_t>();
    if (v > std::numeric_limits<T>::max()) refuse("number out of range: " + j_.dump());
    out = static_cast<T>(v);
  } else if constexpr (std::is_integral_v<T>) {
    if (!j_.is_number_integer()) refuse("expected an integer, got " + j_.dump());
    if (j_.is_number_unsigned() && j_.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<T>::max()))
      refuse("number out of range: " + j_.dump());
    auto v = j_.get<int64_t>();
    if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max())
      refuse("number out of range: " + j_.dump());
    out = static_cast<T>(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!j_.is_number()) refuse("expected a number, got " + kind());
    out = j_.get<T>();
  } else if constexpr (requires { typename T::key_compare; typename T::mapped_type; }) {  // std::map<string, V>
    if (!j_.is_object()) refuse("expected an object, got " + kind());
    out.clear();
    for (auto it = j_.begin(); it != j_.end(); ++it) Node(it.value(), where_ + "." + it.key()).to(out[it.key()]);
  } else if constexpr (requires { typename T::key_compare; }) {  // std::set
    if (!j_.is_array()) refuse("expected an array, got " + kind());
    out.clear();
    for (size_t i = 0; i < j_.size(); ++i) {
      typename T::value_type v{};
      Node(j_[i], where_ + "[" + std::to_string(i) + "]").to(v);
      out.insert(std::move(v));
    }
  } else {  // std::vector
    if (!j_.is_array()) refuse("expected an array, got " + kind());
    out.clear();
    for (size_t i = 0; i < j_.size(); ++i) {
      typename T::value_type v{};
      Node(j_[i], where_ + "[" + std::to_string(i) + "]").to(v);
      out.push_back(std::move(v));
    }
  }
}

// Parses `text` and hands the top-level node (which must be an object) to
// `f`; a syntax error, a SchemaError or an out-of-range value becomes an
// Error naming `what` ("profile") and the member.
template <typename F>
auto read(const std::string& text, const std::string& what, F&& f) -> Result<decltype(f(std::declval<Node&>()))> {
  try {
    nlohmann::json j = nlohmann::json::parse(text);
    Node top(j, what);
    top.expect_object();
    return f(top);
  } catch (const SchemaError& e) {
    return fail(e.what());
  } catch (const nlohmann::json::exception& e) {
    return fail(what + ": " + e.what());
  }
}

}  // namespace sdh::json_in
