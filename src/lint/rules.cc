// SPDX-License-Identifier: GPL-2.0-or-later
// The rule table. Reasons and fixes are ours; the behaviour they describe is
// systemd 252's (checked against its documentation and source semantics).
#include "lint/rules.h"

#include <array>
#include <string_view>

#include "lint/checks.h"

namespace sdh::lint {
namespace {

using unit::Severity;

constexpr std::array kRules = {
    // --- gotchas: settings that are valid but break or weaken the service ---
    // A note, not a warning: on 252 the RTC entry is only added to a list that
    // already exists, so it widens access slightly; the trap is not knowing
    // the list exists (see device-allow-implies-closed).
    Rule{"protect-clock-device-allowlist", RuleKind::gotcha, Severity::note,
         "ProtectClock=yes adds an RTC entry to a device allow-list",
         "When a device policy is in force (DevicePolicy=closed/strict, or any DeviceAllow= line), "
         "ProtectClock=yes adds DeviceAllow=char-rtc r. Together they leave the service with an allow-list "
         "of devices; anything it opens that is not listed fails with EPERM.",
         "List every device the service needs in DeviceAllow=, or drop the device policy if it was not meant "
         "to be an allow-list.",
         &checks::protect_clock_device_allowlist},
    Rule{"device-allow-implies-closed", RuleKind::gotcha, Severity::note,
         "DeviceAllow= turns the default device policy into an allow-list",
         "With DevicePolicy=auto, the first DeviceAllow= line restricts the service to the listed devices "
         "plus the standard pseudo-devices. DeviceAllow= never adds access on top of an open policy.",
         "Write DevicePolicy=closed explicitly so the intent is visible, and list every device needed.",
         &checks::device_allow_implicit_closed},
    Rule{"no-new-privileges-setuid-helper", RuleKind::gotcha, Severity::warning,
         "A setuid/setgid helper runs under no_new_privs",
         "NoNewPrivileges=yes, or any option that needs seccomp for an unprivileged service "
         "(SystemCallFilter=, RestrictAddressFamilies=, ProtectKernel*=, DynamicUser=, ...), sets no_new_privs. "
         "The kernel then ignores setuid/setgid bits and file capabilities, so helpers such as sendmail, su, "
         "sudo or ping lose the privilege they rely on and fail, often quietly.",
         "Let the service talk to a daemon instead of a setuid helper (e.g. SMTP to localhost instead of "
         "sendmail), or run the helper from a separate unit; otherwise leave out the options that imply "
         "no_new_privs.",
         &checks::no_new_privileges_setuid_helper},
    Rule{"no-new-privileges-overridden", RuleKind::gotcha, Severity::note,
         "NoNewPrivileges=no is overridden by other options",
         "For a service without CAP_SYS_ADMIN, systemd needs no_new_privs to install seccomp filters, so "
         "options like SystemCallFilter= set it regardless of NoNewPrivileges=no.",
         "Remove NoNewPrivileges=no, or remove the seccomp-based options if the service really needs to gain "
         "privileges on exec.",
         &checks::no_new_privileges_overridden},
    Rule{"syscall-filter-without-errno", RuleKind::gotcha, Severity::warning,
         "SystemCallFilter= without SystemCallErrorNumber=",
         "Without SystemCallErrorNumber=, a call outside the filter kills the whole process with SIGSYS. "
         "The service dies with little trace of the call that was refused, and code that would have handled "
         "an error return never gets the chance.",
         "Add SystemCallErrorNumber=EPERM so refused calls fail with an error the program can handle and "
         "log.",
         &checks::syscall_filter_without_errno},
    Rule{"memory-deny-write-execute-jit", RuleKind::gotcha, Severity::warning,
         "MemoryDenyWriteExecute=yes with a JIT runtime",
         "MemoryDenyWriteExecute=yes refuses memory that is writable and executable, or becomes executable "
         "later. Just-in-time compilers (Java, Node.js, LuaJIT, PHP's PCRE JIT, .NET, QEMU's TCG) need exactly "
         "that and crash or fall back to slow paths.",
         "Remove MemoryDenyWriteExecute= for this service, or disable the runtime's JIT (e.g. pcre.jit=0 "
         "for PHP) if it can run without one.",
         &checks::memory_deny_write_execute_jit},
    Rule{"private-users-supplementary-groups", RuleKind::gotcha, Severity::warning,
         "PrivateUsers=yes with SupplementaryGroups=",
         "PrivateUsers=yes runs the service in a user namespace where only root and its own user and group "
         "are mapped. Supplementary groups show up as the overflow group, so code that checks membership "
         "(e.g. readers of the journal through systemd-journal) or changes file groups misbehaves.",
         "Drop PrivateUsers=yes, or verify that the service only uses the groups for plain file access.",
         &checks::private_users_supplementary_groups},
    Rule{"syscall-architectures-foreign-binary", RuleKind::gotcha, Severity::error,
         "SystemCallArchitectures= excludes the architecture of a binary the service runs",
         "SystemCallArchitectures=native refuses every system call made through another ABI. A "
         "foreign-architecture binary (multiarch i386 on amd64, an emulated arm64 program) is killed on its "
         "first system call.",
         "Add the binary's architecture to SystemCallArchitectures=, or use the native build.",
         &checks::syscall_architectures_foreign_binary},
    Rule{"address-families-nss-pam", RuleKind::gotcha, Severity::warning,
         "RestrictAddressFamilies= forbids a family that configured NSS/PAM modules need",
         "NSS modules (nss-systemd, sss, winbind, ldap, myhostname...) and PAM modules run inside the service "
         "and talk to daemons or the kernel over AF_UNIX, AF_NETLINK or IP. With the family refused, user, "
         "group and host lookups fail or silently return less.",
         "Allow the families the configured modules need (usually AF_UNIX, and AF_NETLINK for myhostname).",
         &checks::address_families_nss_pam},
    Rule{"socket-activated-address-families", RuleKind::gotcha, Severity::note,
         "A socket-activated service may still create IP sockets",
         "With socket activation systemd creates and binds the listening socket and passes it in; the "
         "service itself only needs the families it uses to connect out (often none beyond AF_UNIX).",
         "Add RestrictAddressFamilies= with only the families the service opens itself (check outbound "
         "connections first, e.g. with sdharden profile).",
         &checks::socket_activated_address_families},
    // --- contradictions: settings that cancel or repeat each other ---
    Rule{"private-devices-device-allow", RuleKind::contradiction, Severity::warning,
         "DeviceAllow= for a device that PrivateDevices=yes hides",
         "PrivateDevices=yes mounts a private /dev holding only pseudo-devices (null, zero, full, random, "
         "urandom, tty, ptmx, pts). A DeviceAllow= line for any other device grants access to a node that "
         "does not exist in the service's view.",
         "Remove the DeviceAllow= line, or bind-mount the device in with BindPaths= (or drop "
         "PrivateDevices=yes) if the service really needs it.",
         &checks::private_devices_device_allow},
    Rule{"protect-system-read-only-redundant", RuleKind::contradiction, Severity::note,
         "ReadOnlyPaths= repeats what ProtectSystem= already does",
         "ProtectSystem=yes mounts /usr, /boot and /efi read-only, =full adds /etc, =strict covers the whole "
         "tree except /dev, /proc and /sys. A ReadOnlyPaths= entry inside those (and not inside a writable "
         "path) changes nothing.",
         "Remove the redundant ReadOnlyPaths= entry.",
         &checks::protect_system_read_only_redundant},
    Rule{"dynamic-user-root", RuleKind::contradiction, Severity::warning,
         "DynamicUser=yes with User=root",
         "DynamicUser= only allocates a user when the named one does not exist; root always exists, so the "
         "service runs as root and the isolation DynamicUser= promises is gone (its implied sandboxing still "
         "applies).",
         "Remove User=root (systemd then picks a dynamic user named after the unit) or drop DynamicUser=.",
         &checks::dynamic_user_root},
    Rule{"syscall-filter-deny-then-allow", RuleKind::contradiction, Severity::warning,
         "A SystemCallFilter= line without ~ after a deny-list",
         "The first SystemCallFilter= line decides between allow- and deny-list. After a ~ line, later lines "
         "without ~ do not start an allow-list: they take calls out of the deny-list, re-allowing them.",
         "Write one consistent list: all lines with ~ for a deny-list, or start with the allow-list line.",
         &checks::syscall_filter_deny_then_allow},
    Rule{"syscall-filter-allow-then-deny", RuleKind::contradiction, Severity::note,
         "A SystemCallFilter=~ line after an allow-list",
         "After an allow-list line, a ~ line removes calls from the allow-list; it does not deny anything "
         "that was not allowed before. That is fine when intended (e.g. @system-service minus @resources) "
         "but is often mistaken for a deny-list.",
         "Keep it if subtracting from the allow-list is the intent; otherwise merge the lists.",
         &checks::syscall_filter_allow_then_deny},
    Rule{"address-families-mixed-modes", RuleKind::contradiction, Severity::warning,
         "RestrictAddressFamilies= lines mix allow- and deny-list",
         "The first RestrictAddressFamilies= line decides the mode; later lines in the other mode subtract "
         "from the list instead of adding to it.",
         "Use one mode for every RestrictAddressFamilies= line.",
         &checks::address_families_mixed_modes},
    Rule{"ambient-outside-bounding-set", RuleKind::contradiction, Severity::warning,
         "AmbientCapabilities= grants a capability the bounding set removes",
         "A capability missing from CapabilityBoundingSet= can never be held, so granting it as ambient "
         "either fails the start or is silently lost.",
         "Add the capability to CapabilityBoundingSet= or remove it from AmbientCapabilities=.",
         &checks::ambient_outside_bounding_set},
    // --- the parser's own diagnostics ---
    Rule{kRuleUnknownDirective, RuleKind::syntax, Severity::warning, "Unknown directive or section",
         "systemd ignores lines it does not know (with a warning in the journal), so the setting has no "
         "effect; often a typo or a directive from a newer systemd.",
         "Fix the spelling, or check that the systemd version in use supports the directive.", nullptr},
    Rule{kRuleInvalidValue, RuleKind::syntax, Severity::warning, "Invalid value",
         "systemd ignores an assignment whose value it cannot parse, keeping the previous value.",
         "Correct the value (see systemd.exec(5) for the accepted forms).", nullptr},
    Rule{kRuleSyntax, RuleKind::syntax, Severity::warning, "Malformed unit file line",
         "systemd skips lines it cannot read as KEY=VALUE inside a [Section].",
         "Fix the line: assignments need a section header above them and an '='.", nullptr},
};

}  // namespace

std::string to_string(RuleKind k) {
  switch (k) {
    case RuleKind::gotcha: return "gotcha";
    case RuleKind::contradiction: return "contradiction";
    case RuleKind::syntax: return "syntax";
  }
  return "unknown";
}

std::span<const Rule> rules() { return kRules; }

const Rule* find_rule(const std::string& id) {
  for (const auto& r : kRules) {
    if (id == r.id) return &r;
  }
  return nullptr;
}

}  // namespace sdh::lint
