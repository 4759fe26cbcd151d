// SPDX-License-Identifier: GPL-2.0-or-later
// Loading the profile fixtures and their base units for tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "profile/profile.h"
#include "unit/loader.h"
#include "util/fs.h"

namespace sdh::synth::testing {

inline std::string data_path(const std::string& rel) { return std::string(SDH_SYNTH_TEST_DATA) + "/" + rel; }

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct LoadedFixture {
  MemoryFileSystem fs;
  unit::LoadedUnit unit;
  profile::Profile profile;
  std::string unit_text;
};

// The unit lives in an in-memory /etc/systemd/system so the host's own
// units and drop-ins never leak in.
inline void load_fixture(const std::string& name, LoadedFixture& f) {
  f.unit_text = slurp(data_path("units/" + name + ".service"));
  f.fs.add_dir("/etc/systemd/system");
  f.fs.add_file("/etc/systemd/system/" + name + ".service", f.unit_text);
  auto u = unit::load_unit(f.fs, name + ".service");
  if (!u) throw std::runtime_error(u.error().to_string());
  f.unit = std::move(*u);
  auto p = profile::profile_from_json(slurp(data_path(name + ".json")));
  if (!p) throw std::runtime_error(p.error().to_string());
  f.profile = std::move(*p);
}

}  // namespace sdh::synth::testing
