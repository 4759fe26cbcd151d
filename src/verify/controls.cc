// SPDX-License-Identifier: GPL-2.0-or-later
#include "verify/controls.h"

#include "util/strings.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <fmt/core.h>
#include <fmt/format.h>

#include "util/linux_names.h"

namespace sdh::verify {

using sdh::words;

namespace {


// Families the probe knows; the ones a drop-in's allow-list leaves out are
// expected to be refused.
const char* const kProbeFamilies[] = {"AF_UNIX", "AF_INET", "AF_INET6", "AF_NETLINK", "AF_PACKET"};
const char* const kNamespaceTypes[] = {"cgroup", "ipc", "net", "mnt", "pid", "user", "uts"};
// Syscalls outside @system-service that the probe can call harmlessly.
const char* const kProbeSyscalls[] = {"ptrace", "perf_event_open", "process_vm_readv", "mount",
                                      "umount2", "pivot_root", "reboot", "add_key", "keyctl",
                                      "bpf", "userfaultfd", "chroot", "syslog", "setns"};


// Collects a list-valued directive across assignments: an empty assignment
// resets, "~" starts a deny-list.
struct ListSetting {
  bool present = false;
  bool deny = false;
  std::set<std::string> items;
};
ListSetting list_setting(const std::vector<Directive>& ds, const std::string& key) {
  ListSetting s;
  for (const auto& d : ds) {
    if (d.section != "Service" || d.key != key) continue;
    if (d.value.empty()) {
      s = {};
      continue;
    }
    std::string v = d.value;
    bool deny = !v.empty() && v[0] == '~';
    if (deny) v = v.substr(1);
    if (!s.present) s.deny = deny;
    s.present = true;
    for (auto& w : words(v)) s.items.insert(w);
  }
  return s;
}

std::string last_value(const std::vector<Directive>& ds, const std::string& key) {
  std::string v;
  bool seen = false;
  for (const auto& d : ds)
    if (d.section == "Service" && d.key == key) {
      v = d.value;
      seen = true;
    }
  return seen ? v : std::string("\x01");  // "\x01": not set at all
}

bool is_true(const std::vector<Directive>& ds, const std::string& key) {
  bool b = false;
  return parse_boolean(last_value(ds, key), &b) && b;
}

std::vector<std::string> probe(std::initializer_list<std::string> args, const std::vector<std::string>& more = {}) {
  std::vector<std::string> v = {kProbePath};
  v.insert(v.end(), args);
  v.insert(v.end(), more.begin(), more.end());
  return v;
}

}  // namespace

int capability_number(const std::string& name) { return sdh::capability_number(name); }

std::string capability_name(int number) {
  auto name = sdh::capability_name(number);
  return name.empty() ? fmt::format("cap{}", number) : std::string(name);
}

std::vector<ProbeLine> parse_probe_output(const std::string& out) {
  std::vector<ProbeLine> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    auto w = words(line);
    if (w.size() < 3) continue;
    ProbeLine p{w[0], w[1], w[2] == "ok", w[2] == "killed", w.size() > 3 ? w[3] : ""};
    if (w[2] != "ok" && w[2] != "refused" && w[2] != "killed") continue;
    lines.push_back(p);
  }
  return lines;
}

std::vector<Control> plan_controls(const std::vector<Directive>& ds, std::vector<std::string>* not_probed) {
  std::vector<Control> controls;

  if (auto af = list_setting(ds, "RestrictAddressFamilies"); af.present) {
    Control c{"address families", {"RestrictAddressFamilies"}, {}, ControlMode::refused_args, {}, {}};
    std::vector<std::string> fams;
    for (const char* f : kProbeFamilies) {
      fams.push_back(f);
      bool listed = af.items.count(f) > 0;
      bool denied = af.deny ? listed : !listed;
      (denied ? c.must_refuse : c.must_allow).push_back(f);
    }
    if (af.items.count("none")) c.must_allow.clear();
    c.argv = probe({"socket"}, fams);
    if (!c.must_refuse.empty()) controls.push_back(c);
  }
  if (is_true(ds, "PrivateNetwork"))
    controls.push_back({"private network", {"PrivateNetwork"}, {"/usr/bin/readlink", "/proc/self/ns/net"},
                        ControlMode::output_differs, {}, {}});

  // Writable paths: in the container /usr is already read-only (volatile
  // root), so /etc and / are where ProtectSystem can be seen.
  std::string ps = last_value(ds, "ProtectSystem");
  std::vector<std::string> rw;
  for (const auto& d : ds)
    if (d.section == "Service" && d.key == "ReadWritePaths")
      for (auto& w : words(d.value)) rw.push_back(w[0] == '-' ? w.substr(1) : w);
  auto writable = [&](const std::string& p) { return std::find(rw.begin(), rw.end(), p) != rw.end(); };
  if (ps == "full" || ps == "strict") {
    std::vector<std::string> dirs = {"/etc"};
    if (ps == "strict") dirs.insert(dirs.end(), {"/var/lib", "/srv", "/opt"});
    dirs.erase(std::remove_if(dirs.begin(), dirs.end(), writable), dirs.end());
    if (!dirs.empty()) controls.push_back({"read-only system (ProtectSystem=" + ps + ")", {"ProtectSystem"},
                                           probe({"write"}, dirs), ControlMode::refused_args, dirs, {}});
  } else if (ps != "\x01") {
    bool b = false;
    if (parse_boolean(ps, &b) && b)
      controls.push_back({"read-only /usr, /boot (ProtectSystem=yes)", {"ProtectSystem"},
                          probe({"write", "/boot", "/usr"}), ControlMode::refused_args, {}, {}});
  }
  std::string ph = last_value(ds, "ProtectHome");
  bool ph_yes = false;
  if (ph == "read-only" || ph == "tmpfs")
    controls.push_back({"home directories (ProtectHome=" + ph + ")", {"ProtectHome"},
                        probe({"write", "/root"}), ControlMode::refused_args, {"/root"}, {}});
  else if (parse_boolean(ph, &ph_yes) && ph_yes)
    // The inaccessible node is mode 000, which root with CAP_DAC_OVERRIDE
    // can still open (and find empty): compare the inode instead.
    controls.push_back({"home directories (ProtectHome=yes)", {"ProtectHome"},
                        {"/usr/bin/stat", "-c", "%d:%i:%a", "/root"}, ControlMode::output_differs, {}, {}});
  for (const char* key : {"ReadOnlyPaths", "InaccessiblePaths"}) {
    std::vector<std::string> paths;
    for (const auto& d : ds)
      if (d.section == "Service" && d.key == key)
        for (auto& w : words(d.value))
          if (w[0] != '-' && w[0] != '+') paths.push_back(w);
    if (paths.empty()) continue;
    bool ro = std::string(key) == "ReadOnlyPaths";
    controls.push_back({ro ? "read-only paths" : "inaccessible paths", {key},
                        probe({ro ? "write" : "read"}, paths), ControlMode::refused_args, paths, {}});
  }
  if (is_true(ds, "PrivateTmp"))
    controls.push_back({"private /tmp", {"PrivateTmp"}, {"/usr/bin/stat", "-c", "%d:%i", "/tmp"},
                        ControlMode::output_differs, {}, {}});

  std::string dp = last_value(ds, "DevicePolicy");
  if (is_true(ds, "PrivateDevices") || dp == "closed" || dp == "strict") {
    std::vector<std::string> keys;
    if (is_true(ds, "PrivateDevices")) keys.push_back("PrivateDevices");
    if (dp == "closed" || dp == "strict") keys.push_back("DevicePolicy");
    controls.push_back({"devices", keys, probe({"device", "/dev/net/tun"}), ControlMode::refused_args,
                        {"/dev/net/tun"}, {}});
  }

  auto caps = list_setting(ds, "CapabilityBoundingSet");
  // Unlike most list settings, an empty CapabilityBoundingSet= drops them all.
  if (!caps.present && last_value(ds, "CapabilityBoundingSet").empty()) caps.present = true;
  if (caps.present) {
    Control c{"capabilities", {"CapabilityBoundingSet"}, {}, ControlMode::refused_args, {}, {}};
    std::vector<std::string> nums;
    for (int i = 0; i <= kLastCapability; ++i) {
      bool listed = caps.items.count(std::string(sdh::capability_name(i))) > 0;
      bool dropped = caps.deny ? listed : !listed;
      nums.push_back(std::to_string(i));
      (dropped ? c.must_refuse : c.must_allow).push_back(std::to_string(i));
    }
    c.argv = probe({"cap"}, nums);
    if (!c.must_refuse.empty()) controls.push_back(c);
  }
  if (is_true(ds, "NoNewPrivileges"))
    controls.push_back({"no new privileges", {"NoNewPrivileges"}, probe({"nnp"}), ControlMode::refused_args,
                        {"gain-privileges"}, {}});
  if (auto sc = list_setting(ds, "SystemCallFilter"); sc.present) {
    std::vector<std::string> names(std::begin(kProbeSyscalls), std::end(kProbeSyscalls));
    // A deny-list naming probe syscalls directly must refuse exactly those.
    std::vector<std::string> expect;
    if (sc.deny)
      for (const auto& n : names)
        if (sc.items.count(n)) expect.push_back(n);
    controls.push_back({"system call filter", {"SystemCallFilter", "SystemCallErrorNumber"},
                        probe({"syscall"}, names), ControlMode::refused_args, expect, {}});
  }
  if (is_true(ds, "MemoryDenyWriteExecute"))
    controls.push_back({"W^X memory", {"MemoryDenyWriteExecute"}, probe({"wx"}), ControlMode::refused_args,
                        {"anonymous"}, {}});
  if (std::string rn = last_value(ds, "RestrictNamespaces"); rn != "\x01") {
    std::vector<std::string> all(std::begin(kNamespaceTypes), std::end(kNamespaceTypes));
    std::vector<std::string> refuse, allow;
    bool b = false;
    if (parse_boolean(rn, &b)) {
      if (b) refuse = all;
    } else {
      bool deny = !rn.empty() && rn[0] == '~';
      auto listed = words(deny ? rn.substr(1) : rn);
      for (const auto& t : all) {
        bool in = std::find(listed.begin(), listed.end(), t) != listed.end();
        ((deny ? in : !in) ? refuse : allow).push_back(t);
      }
    }
    if (!refuse.empty())
      controls.push_back({"namespaces", {"RestrictNamespaces"}, probe({"unshare"}, all), ControlMode::refused_args,
                          refuse, allow});
  }
  if (is_true(ds, "LockPersonality"))
    controls.push_back({"personality lock", {"LockPersonality"}, probe({"personality"}), ControlMode::refused_args,
                        {"PER_LINUX32"}, {}});
  if (is_true(ds, "RestrictRealtime"))
    controls.push_back({"realtime scheduling", {"RestrictRealtime"}, probe({"realtime"}),
                        ControlMode::refused_args, {"SCHED_RR"}, {}});
  if (is_true(ds, "ProtectHostname"))
    controls.push_back({"host name", {"ProtectHostname"}, probe({"hostname"}), ControlMode::refused_args,
                        {"sethostname"}, {}});
  if (is_true(ds, "RestrictSUIDSGID"))
    controls.push_back({"set-uid files", {"RestrictSUIDSGID"}, probe({"suid", "/tmp"}), ControlMode::refused_args,
                        {"/tmp"}, {}});
  if (is_true(ds, "DynamicUser") || (last_value(ds, "User") != "\x01" && last_value(ds, "User") != "root" &&
                                     last_value(ds, "User") != "0" && !last_value(ds, "User").empty())) {
    controls.push_back({"unprivileged user", {"User", "DynamicUser"}, probe({"uid"}), ControlMode::refused_args,
                        {"root"}, {}});
  }
  if (is_true(ds, "PrivateUsers"))
    controls.push_back({"user namespace", {"PrivateUsers"}, {"/bin/cat", "/proc/self/uid_map"},
                        ControlMode::output_differs, {}, {}});

  if (not_probed) {
    for (const char* key : {"ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs", "ProtectClock",
                            "ProtectControlGroups"})
      if (is_true(ds, key))
        not_probed->push_back(std::string(key) + ": the container already denies this to root, so a probe "
                                                 "cannot tell the directive's effect apart");
    if (last_value(ds, "IPAddressDeny") != "\x01")
      not_probed->push_back("IPAddressDeny: needs a network peer outside loopback to demonstrate");
  }
  return controls;
}

ControlOutcome evaluate_control(const Control& control, const systemd::ExecResult& sandboxed,
                                const systemd::ExecResult& plain) {
  ControlOutcome o;
  if (control.mode == ControlMode::output_differs) {
    auto first = [](const std::string& s) { return s.substr(0, s.find('\n')); };
    if (!plain.ok() || plain.out.empty()) {
      o.detail = "the probe fails even without the sandbox: " + plain.status_text() + " " + plain.err;
      return o;
    }
    if (!sandboxed.ok()) {
      o.detail = "the probe cannot run inside the sandbox: " + sandboxed.status_text() + " " + sandboxed.err;
      return o;
    }
    bool differs = first(sandboxed.out) != first(plain.out);
    o.status = differs ? ItemStatus::passed : ItemStatus::failed;
    o.detail = fmt::format("without: {}, with: {}", first(plain.out), first(sandboxed.out));
    return o;
  }
  auto with = parse_probe_output(sandboxed.out);
  auto without = parse_probe_output(plain.out);
  if (without.empty()) {
    o.detail = "the probe printed nothing without the sandbox: " + plain.status_text() + " " + plain.err;
    return o;
  }
  if (with.empty()) {
    o.detail = "the probe could not run inside the sandbox: " + sandboxed.status_text() + " " + sandboxed.err;
    return o;
  }
  std::map<std::string, ProbeLine> w, wo;
  for (auto& l : with) w[l.arg] = l;
  for (auto& l : without) wo[l.arg] = l;
  std::vector<std::string> refused, still_ok, baseline_refused, wrongly_refused;
  for (const auto& [arg, plain_line] : wo) {
    auto it = w.find(arg);
    if (it == w.end()) continue;
    bool expected = std::find(control.must_refuse.begin(), control.must_refuse.end(), arg) != control.must_refuse.end();
    if (!plain_line.ok) {
      if (expected) baseline_refused.push_back(arg);
      continue;
    }
    if (!it->second.ok) refused.push_back(arg + ":" + it->second.detail);
    else if (expected) still_ok.push_back(arg);
    bool must_allow = std::find(control.must_allow.begin(), control.must_allow.end(), arg) != control.must_allow.end();
    if (must_allow && !it->second.ok) wrongly_refused.push_back(arg);
  }
  auto list = [](const std::vector<std::string>& v) { return fmt::format("{}", fmt::join(v, " ")); };
  std::string detail = "refused in the sandbox, allowed without: " + (refused.empty() ? "none" : list(refused));
  if (!still_ok.empty()) detail += "; NOT refused: " + list(still_ok);
  if (!wrongly_refused.empty()) detail += "; refused though allowed: " + list(wrongly_refused);
  if (!baseline_refused.empty()) detail += "; already refused without the sandbox: " + list(baseline_refused);
  o.detail = detail;
  if (!still_ok.empty()) o.status = ItemStatus::failed;
  else if (control.must_refuse.empty()) o.status = refused.empty() ? ItemStatus::failed : ItemStatus::passed;
  else if (refused.empty()) o.status = ItemStatus::inconclusive;  // every expected one was refused anyway
  else o.status = ItemStatus::passed;
  return o;
}

}  // namespace sdh::verify
