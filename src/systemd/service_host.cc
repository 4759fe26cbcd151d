// SPDX-License-Identifier: GPL-2.0-or-later
#include "systemd/service_host.h"

#include <sstream>

namespace sdh::systemd {

Status ServiceHost::install_unit(const std::string& unit, const std::string& text) {
  return install_file(unit_dir() + "/" + unit, text);
}

Status ServiceHost::install_dropin(const std::string& unit, const std::string& name,
                                   const std::string& text) {
  return install_file(unit_dir() + "/" + unit + ".d/" + name, text);
}

Status ServiceHost::remove_dropin(const std::string& unit, const std::string& name) {
  return remove_file(unit_dir() + "/" + unit + ".d/" + name);
}

Result<bool> ServiceHost::is_active(const std::string& unit) {
  auto state = active_state(unit);
  if (!state) return fail(state.error());
  return *state == "active" || *state == "reloading";
}

std::string slice_cgroup_path(const std::string& slice) {
  const std::string suffix = ".slice";
  if (slice.size() <= suffix.size() || slice.compare(slice.size() - suffix.size(), suffix.size(), suffix) != 0 ||
      slice == "-.slice")
    return "";
  std::string name = slice.substr(0, slice.size() - suffix.size());
  std::string path;
  // Escaped dashes ("\x2d") are part of a level's name, not separators.
  for (size_t dash = name.find('-'); ; dash = name.find('-', dash + 1)) {
    std::string prefix = dash == std::string::npos ? name : name.substr(0, dash);
    if (!prefix.empty()) path += (path.empty() ? "" : "/") + prefix + suffix;
    if (dash == std::string::npos) break;
  }
  return path;
}

std::string unit_cgroup_path(ServiceHost& host, const std::string& unit) {
  auto shown = host.show(unit, {"Slice"});
  std::string slice = shown && !(*shown)["Slice"].empty() ? (*shown)["Slice"] : "system.slice";
  std::string dir = slice_cgroup_path(slice);
  return (dir.empty() ? "" : dir + "/") + unit;
}

Properties parse_show_output(const std::string& text) {
  Properties props;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    // A command-line property prints one line per command: all are kept.
    auto [it, fresh] = props.emplace(line.substr(0, eq), line.substr(eq + 1));
    if (!fresh) it->second += " " + line.substr(eq + 1);
  }
  return props;
}

}  // namespace sdh::systemd
