// SPDX-License-Identifier: GPL-2.0-or-later
// End-to-end: `sdharden apply` on a live systemd (inside a disposable
// container, where PID 1 is systemd): installs, reloads, restarts, checks;
// a drop-in that breaks the service is rolled back; killed during reload,
// check or rollback, the drop-in on disk is the old or the new one.
// Usage: e2e_apply_live SDHARDEN UNIT_FILE GOOD_DROPIN BAD_DROPIN
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "systemd/container_host.h"

using namespace sdh::systemd;
using namespace std::chrono_literals;

namespace {
int failures = 0;
void expect(bool ok, const std::string& what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what.c_str());
  if (!ok) ++failures;
}
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) return 2;
  if (geteuid() != 0) { std::puts("SKIP: needs root to boot a systemd container"); return 77; }
  if (access("/usr/bin/systemd-nspawn", X_OK) != 0) { std::puts("SKIP: systemd-nspawn missing"); return 77; }
  auto host = ContainerHost::boot();
  if (!host) { std::printf("FAIL: boot: %s\n", host.error().to_string().c_str()); return 1; }
  auto& h = **host;
  const std::string good = slurp(argv[3]), bad = slurp(argv[4]);
  expect(h.install_file("/run/sdharden/sdharden", slurp(argv[1]), 0755) && h.install_unit("web.service", slurp(argv[2])) &&
             h.install_file("/run/sdharden/good.conf", good, 0644) && h.install_file("/run/sdharden/bad.conf", bad, 0644),
         "files installed in the container");
  (void)h.daemon_reload();
  expect(bool(h.start("web.service")), "web.service starts");
  const std::string check = "curl -fsS -o /dev/null http://127.0.0.1:8080/";
  const std::string dropin = "/etc/systemd/system/web.service.d/50-sdharden.conf";
  auto apply = [&](const std::string& file, const std::string& env) {
    return h.run(env + " /run/sdharden/sdharden apply web.service --dropin /run/sdharden/" + file + " --check '" +
                     check + "'",
                 120s);
  };
  auto on_disk = [&] { return slurp(h.root_path() + dropin); };

  auto r = apply("good.conf", "");
  if (r && !r->ok()) std::printf("%s\n%s\n", r->out.c_str(), r->err.c_str());
  expect(r && r->ok() && r->out.find("check passed") != std::string::npos, "apply good drop-in: restarted, check passed");
  expect(on_disk() == good, "good drop-in on disk");
  auto ps = h.show("web.service", {"ProtectSystem", "ActiveState"});
  expect(ps && (*ps)["ProtectSystem"] == "strict" && (*ps)["ActiveState"] == "active", "in effect and active");

  r = apply("bad.conf", "");
  expect(r && r->exit_code == 1 && r->out.find("rolled back") != std::string::npos, "bad drop-in: exit 1, rolled back");
  expect(on_disk() == good, "previous drop-in restored after rollback");
  expect(*h.is_active("web.service") && h.run(check, 20s)->ok(), "service works again after rollback");

  for (int step : {4, 5, 6}) {
    r = apply("bad.conf", "SDHARDEN_APPLY_KILL_AT=" + std::to_string(step));
    std::string now = on_disk();
    expect(r && r->signal == 0 && r->exit_code == 137 - 0 /* sh reports 128+9 */ && (now == good || now == bad),
           "killed at step " + std::to_string(step) + ": drop-in is " + (now == good ? "old" : now == bad ? "new" : "PARTIAL"));
    // Put the good state back for the next round.
    (void)apply("good.conf", "");
  }
  (void)h.shutdown();
  return failures ? 1 : 0;
}
