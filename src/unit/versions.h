// SPDX-License-Identifier: GPL-2.0-or-later
// The systemd releases whose rules sdharden reproduces. Each is a row of the
// release table (versions.cc) and a folder data/systemd/NNN/ read from that
// release's own binaries by scripts/gen-systemd-data.sh: its assessor table,
// syscall groups and the directives its unit files accept. Adding a release
// is that row and that folder; every lookup goes through here and a version
// outside the table is a bug (std::logic_error), never a silent fallback.
#pragma once

#include <compare>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"
#include "util/fs.h"

namespace sdh::unit {

// A systemd release of the table (made only by the lookups below).
class SystemdVersion {
 public:
  SystemdVersion();  // the oldest release of the table
  int number() const { return number_; }
  // True when this release has what `release` introduced ("since").
  bool at_least(int release) const { return number_ >= release; }
  auto operator<=>(const SystemdVersion&) const = default;

 private:
  explicit SystemdVersion(int number) : number_(number) {}
  friend struct ReleaseTable;
  int number_;
};

struct Release {
  int number;                    // 252
  std::string_view distribution; // where this exact build comes from ("Debian 12 (bookworm)")
};

// Every release of the table, oldest first.
std::vector<SystemdVersion> all_releases();
SystemdVersion oldest_release();
// A release the code names on purpose (a test, a rule of one release):
// throws std::logic_error when it is not in the table.
SystemdVersion known_release(int number);
SystemdVersion newest_release();
const Release& release_info(SystemdVersion v);

// "257", "v257" or "latest" (the newest of the table). An unknown number fails
// and names the releases there are.
Result<SystemdVersion> systemd_version_from_string(const std::string& s);
std::string to_string(SystemdVersion v);  // "257"

// The release of the table nearest `number` at or below it (a host running
// 255 is scored with 254's rules); fails below the oldest.
Result<SystemdVersion> nearest_release(int number);

// The systemd installed in the file system (its libsystemd-shared-NNN.so),
// nullopt-like failure when none is found.
Result<int> installed_systemd(const FileSystem& fs);

// A value built once for every release of the table, then looked up: all
// releases are built together so concurrent readers never see a half-filled
// table. One static per call site (each `load` lambda is its own type).
template <typename Load>
const auto& per_release(SystemdVersion v, Load load) {
  using T = decltype(load(v));
  static const std::map<int, T> all = [&] {
    std::map<int, T> m;
    for (auto r : all_releases()) m.emplace(r.number(), load(r));
    return m;
  }();
  return all.at(v.number());
}

// Behaviour that changed between releases, each tied to the first release of
// the table that has it (measured against each release's systemd-analyze).
enum class Change {
  // A user manager's services are assessed as running under the calling
  // user: User= scores 0, RemoveIPC= does not apply.
  user_services_run_as_caller,
  // RestrictAddressFamilies=: an unknown family ends the line (the words
  // before it still count) instead of being skipped alone.
  unknown_family_ends_line,
  // A user manager refuses DynamicUser=yes, and DynamicUser=yes with
  // WorkingDirectory=~; PAMName= needs KillMode=control-group|mixed in every
  // unit type that runs processes, not only services.
  exec_context_checks,
  // PrivatePIDs=yes is refused together with PAMName=, and
  // PrivateUsers=managed with User=, Group=, DynamicUser= or PAMName=.
  managed_users_pam_checks,
  // CapabilityBoundingSet=~LIST complements within the kernel's capabilities
  // (before: all 64 bits).
  capability_invert_within_kernel,
  // Encrypted credentials with a device allow-list no longer imply
  // DeviceAllow=char-tpm rw (first in the list before).
  no_tpm_for_encrypted_credentials,
  // A template file given by path is loaded as NAME@test_instance (was NAME@i).
  template_instance_test_instance,
};
std::string to_string(Change c);
int first_release_with(Change c);
inline bool has_change(SystemdVersion v, Change c) { return v.at_least(first_release_with(c)); }

// Whether Debian's build of the release has a compile-time feature
// ("BPF_FRAMEWORK", "SECCOMP"; data/systemd/NNN/features.txt).
bool has_feature(SystemdVersion v, std::string_view feature);

// A data file of the release ("assessors.tsv"); every release has each one
// (tested), so a missing file is a bug.
std::string_view release_file(SystemdVersion v, std::string_view name);

}  // namespace sdh::unit
