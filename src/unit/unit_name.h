// SPDX-License-Identifier: GPL-2.0-or-later
// Unit names as systemd understands them: "prefix@instance.type".
#pragma once

#include <optional>
#include <string>

namespace sdh::unit {

struct UnitName {
  std::string prefix;    // "getty" in "getty@tty1.service"
  std::string instance;  // "tty1"; empty for plain units and templates
  std::string type;      // "service"
  bool templated = false;  // has an '@'
  bool is_template() const { return templated && instance.empty(); }
  bool is_instance() const { return templated && !instance.empty(); }
  std::string full() const;           // back to text
  std::string template_name() const;  // "getty@.service"
};

// Parses and validates a unit name (characters, length, known type).
std::optional<UnitName> parse_unit_name(const std::string& name);
bool is_known_unit_type(const std::string& type);

// systemd's unescaping of "-" to "/" and "\xNN" sequences (%I, %P, %J, %f).
std::string unit_name_unescape(const std::string& s);
// "foo-bar" -> "/foo/bar" as %f does for a prefix or instance.
std::string unit_name_to_path(const std::string& s);

}  // namespace sdh::unit
