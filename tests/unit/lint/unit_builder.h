// SPDX-License-Identifier: GPL-2.0-or-later
// Builds LoadedUnit values by hand for lint tests: assignments with real
// line numbers, and the effective settings the test states explicitly.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "unit/loader.h"
#include "util/fs.h"

namespace sdh::lint::testing {

class UnitBuilder {
 public:
  explicit UnitBuilder(std::string path = "/etc/systemd/system/demo.service") {
    unit_.name = basename_of(path);
    unit_.fragment_path = path;
    unit_.settings.name = unit_.name;
    text_ = "[Service]\n";
    line_ = 1;
  }
  // Adds "Key=value" under [Service]; records origin like the loader does.
  UnitBuilder& set(const std::string& key, const std::string& value) {
    ++line_;
    text_ += key + "=" + value + "\n";
    unit::Assignment a{"Service", key, value, {unit_.fragment_path, line_, 1}};
    unit_.assignments.push_back(a);
    unit_.settings.origin["Service." + key] = a.location;
    return *this;
  }
  unit::UnitSettings& settings() { return unit_.settings; }
  unit::LoadedUnit& unit() { return unit_; }
  // The unit's text, so findings can quote their line.
  void install(MemoryFileSystem& fs) const { fs.add_file(unit_.fragment_path, text_); }

 private:
  unit::LoadedUnit unit_;
  std::string text_;
  int line_ = 0;
};

}  // namespace sdh::lint::testing
