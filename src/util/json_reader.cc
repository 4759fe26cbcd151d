// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/json_reader.h"

namespace sdh::json_in {

void Node::refuse(const std::string& what) const { throw SchemaError(where_ + ": " + what); }

Node Node::member(const char* key) const {
  if (!j_.is_object()) refuse("expected an object, got " + kind());
  auto it = j_.find(key);
  if (it == j_.end()) refuse(std::string("missing member \"") + key + "\"");
  return Node(*it, where_ + "." + key);
}

}  // namespace sdh::json_in
