// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/settings.h"

#include <array>

namespace sdh::unit {

std::span<const Spelled<ProtectSystem>> spellings(ProtectSystem) {
  static constexpr std::array<Spelled<ProtectSystem>, 4> k = {
      {{ProtectSystem::no, "no"}, {ProtectSystem::yes, "yes"}, {ProtectSystem::full, "full"},
       {ProtectSystem::strict, "strict"}}};
  return k;
}

std::span<const Spelled<ProtectHome>> spellings(ProtectHome) {
  static constexpr std::array<Spelled<ProtectHome>, 4> k = {{{ProtectHome::no, "no"},
                                                             {ProtectHome::yes, "yes"},
                                                             {ProtectHome::read_only, "read-only"},
                                                             {ProtectHome::tmpfs, "tmpfs"}}};
  return k;
}

std::span<const Spelled<ProtectProc>> spellings(ProtectProc) {
  static constexpr std::array<Spelled<ProtectProc>, 4> k = {{{ProtectProc::default_, "default"},
                                                             {ProtectProc::noaccess, "noaccess"},
                                                             {ProtectProc::invisible, "invisible"},
                                                             {ProtectProc::ptraceable, "ptraceable"}}};
  return k;
}

std::span<const Spelled<ProcSubset>> spellings(ProcSubset) {
  static constexpr std::array<Spelled<ProcSubset>, 2> k = {{{ProcSubset::all, "all"}, {ProcSubset::pid, "pid"}}};
  return k;
}

std::span<const Spelled<KeyringMode>> spellings(KeyringMode) {
  static constexpr std::array<Spelled<KeyringMode>, 3> k = {
      {{KeyringMode::inherit, "inherit"}, {KeyringMode::private_, "private"}, {KeyringMode::shared, "shared"}}};
  return k;
}

std::span<const Spelled<NotifyAccess>> spellings(NotifyAccess) {
  static constexpr std::array<Spelled<NotifyAccess>, 4> k = {{{NotifyAccess::none, "none"},
                                                              {NotifyAccess::main, "main"},
                                                              {NotifyAccess::exec, "exec"},
                                                              {NotifyAccess::all, "all"}}};
  return k;
}

std::span<const Spelled<DevicePolicy>> spellings(DevicePolicy) {
  static constexpr std::array<Spelled<DevicePolicy>, 3> k = {
      {{DevicePolicy::auto_, "auto"}, {DevicePolicy::closed, "closed"}, {DevicePolicy::strict, "strict"}}};
  return k;
}

namespace {

template <class E>
std::string spelled(E v) {
  for (const auto& s : spellings(v))
    if (s.value == v) return std::string(s.text);
  return "?";
}

}  // namespace

std::string to_string(ProtectSystem v) { return spelled(v); }
std::string to_string(ProtectHome v) { return spelled(v); }
std::string to_string(ProtectProc v) { return spelled(v); }
std::string to_string(ProcSubset v) { return spelled(v); }
std::string to_string(KeyringMode v) { return spelled(v); }
std::string to_string(NotifyAccess v) { return spelled(v); }
std::string to_string(DevicePolicy v) { return spelled(v); }

}  // namespace sdh::unit
