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

Properties parse_show_output(const std::string& text) {
  Properties props;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    props[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return props;
}

}  // namespace sdh::systemd
