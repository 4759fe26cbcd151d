// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/settings.h"

namespace sdh::unit {

std::string to_string(ProtectSystem v) {
  switch (v) {
    case ProtectSystem::no: return "no";
    case ProtectSystem::yes: return "yes";
    case ProtectSystem::full: return "full";
    case ProtectSystem::strict: return "strict";
  }
  return "?";
}

std::string to_string(ProtectHome v) {
  switch (v) {
    case ProtectHome::no: return "no";
    case ProtectHome::yes: return "yes";
    case ProtectHome::read_only: return "read-only";
    case ProtectHome::tmpfs: return "tmpfs";
  }
  return "?";
}

std::string to_string(ProtectProc v) {
  switch (v) {
    case ProtectProc::default_: return "default";
    case ProtectProc::noaccess: return "noaccess";
    case ProtectProc::invisible: return "invisible";
    case ProtectProc::ptraceable: return "ptraceable";
  }
  return "?";
}

std::string to_string(ProcSubset v) { return v == ProcSubset::all ? "all" : "pid"; }

std::string to_string(KeyringMode v) {
  switch (v) {
    case KeyringMode::inherit: return "inherit";
    case KeyringMode::private_: return "private";
    case KeyringMode::shared: return "shared";
  }
  return "?";
}

std::string to_string(NotifyAccess v) {
  switch (v) {
    case NotifyAccess::none: return "none";
    case NotifyAccess::main: return "main";
    case NotifyAccess::exec: return "exec";
    case NotifyAccess::all: return "all";
  }
  return "?";
}

std::string to_string(DevicePolicy v) {
  switch (v) {
    case DevicePolicy::auto_: return "auto";
    case DevicePolicy::closed: return "closed";
    case DevicePolicy::strict: return "strict";
  }
  return "?";
}

}  // namespace sdh::unit
