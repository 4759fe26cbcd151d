// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/versions.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "util/strings.h"

namespace sdh::unit::release_data {
struct EmbeddedFile {
  std::string_view path, text;
};
extern const EmbeddedFile k_files[];
extern const std::size_t k_file_count;
}  // namespace sdh::unit::release_data

namespace sdh::unit {

// The table. Each row's data folder is data/systemd/NUMBER/.
const std::vector<Release>& releases() {
  static const std::vector<Release> rows = {
      {252, "Debian 12 (bookworm)"},
      {254, "Debian 12 backports (bookworm-backports)"},
      {257, "Debian 13 (trixie)"},
      {262, "Debian 14 (forky)"},
  };
  return rows;
}

struct ReleaseTable {
  static SystemdVersion make(int number) { return SystemdVersion(number); }
};

SystemdVersion::SystemdVersion() : number_(releases().front().number) {}

std::vector<SystemdVersion> all_releases() {
  std::vector<SystemdVersion> out;
  for (const auto& r : releases()) out.push_back(ReleaseTable::make(r.number));
  return out;
}

SystemdVersion oldest_release() { return ReleaseTable::make(releases().front().number); }
SystemdVersion known_release(int number) {
  for (const auto& r : releases())
    if (r.number == number) return ReleaseTable::make(number);
  throw std::logic_error("systemd " + std::to_string(number) + " is not in the release table");
}

SystemdVersion newest_release() { return ReleaseTable::make(releases().back().number); }

const Release& release_info(SystemdVersion v) {
  for (const auto& r : releases())
    if (r.number == v.number()) return r;
  throw std::logic_error("systemd " + std::to_string(v.number()) + " is not in the release table");
}

std::string to_string(SystemdVersion v) { return std::to_string(v.number()); }

namespace {

std::string table_names() {
  std::string out;
  for (const auto& r : releases()) out += (out.empty() ? "" : ", ") + std::to_string(r.number);
  return out + " or latest";
}

}  // namespace

Result<SystemdVersion> systemd_version_from_string(const std::string& s) {
  if (s == "latest") return newest_release();
  std::string digits = !s.empty() && s[0] == 'v' ? s.substr(1) : s;
  auto n = to_number<int>(digits);
  if (n)
    for (const auto& r : releases())
      if (r.number == *n) return ReleaseTable::make(r.number);
  return fail("unknown systemd version '" + s + "' (known: " + table_names() + ")");
}

Result<SystemdVersion> nearest_release(int number) {
  const Release* best = nullptr;
  for (const auto& r : releases())
    if (r.number <= number) best = &r;
  if (!best)
    return fail("systemd " + std::to_string(number) + " is older than every release sdharden knows (" +
                table_names() + ")");
  return ReleaseTable::make(best->number);
}

Result<int> installed_systemd(const FileSystem& fs) {
  // The shared library carries the release in its name on every distribution:
  // libsystemd-shared-257.so (Debian), libsystemd-shared-255.4-1.fc40.so (Fedora).
  for (const char* dir : {"/usr/lib/x86_64-linux-gnu/systemd", "/usr/lib/aarch64-linux-gnu/systemd",
                          "/usr/lib/systemd", "/lib/systemd", "/usr/lib64/systemd"}) {
    auto names = fs.list_dir(dir);
    if (!names) continue;
    for (const auto& n : *names) {
      constexpr std::string_view prefix = "libsystemd-shared-";
      if (n.rfind(prefix, 0) != 0) continue;
      std::string rest = n.substr(prefix.size());
      size_t len = 0;
      while (len < rest.size() && std::isdigit(static_cast<unsigned char>(rest[len]))) ++len;
      if (auto v = to_number<int>(rest.substr(0, len))) return *v;
    }
  }
  return fail("no libsystemd-shared-*.so found: cannot tell which systemd is installed");
}

std::string to_string(Change c) {
  switch (c) {
    case Change::template_instance_test_instance: return "template_instance_test_instance";
    case Change::user_services_run_as_caller: return "user_services_run_as_caller";
    case Change::unknown_family_ends_line: return "unknown_family_ends_line";
    case Change::exec_context_checks: return "exec_context_checks";
    case Change::no_tpm_for_encrypted_credentials: return "no_tpm_for_encrypted_credentials";
    case Change::capability_invert_within_kernel: return "capability_invert_within_kernel";
    case Change::managed_users_pam_checks: return "managed_users_pam_checks";
  }
  return "?";
}

int first_release_with(Change c) {
  switch (c) {
    case Change::template_instance_test_instance: return 257;
    case Change::user_services_run_as_caller: return 262;
    case Change::unknown_family_ends_line: return 262;
    case Change::exec_context_checks: return 257;
    case Change::no_tpm_for_encrypted_credentials: return 262;
    case Change::capability_invert_within_kernel: return 262;
    case Change::managed_users_pam_checks: return 262;
  }
  throw std::logic_error("unknown release change");
}

bool has_feature(SystemdVersion v, std::string_view feature) {
  for (const auto& l : split(release_file(v, "features.txt"), '\n'))
    if (l.size() > 1 && l[0] == '+' && std::string_view(l).substr(1) == feature) return true;
  return false;
}

std::string_view release_file(SystemdVersion v, std::string_view name) {
  std::string path = to_string(v) + "/" + std::string(name);
  for (std::size_t i = 0; i < release_data::k_file_count; ++i)
    if (release_data::k_files[i].path == path) return release_data::k_files[i].text;
  throw std::logic_error("data/systemd/" + path + " is missing from the build");
}

}  // namespace sdh::unit
