// SPDX-License-Identifier: GPL-2.0-or-later
// Bad input never crashes the loader or the scorer: seeded random bytes and
// random mixes of unit-file fragments, fragment and drop-ins alike.
#include <gtest/gtest.h>

#include <random>

#include "unit/loader.h"

namespace sdh::unit {
namespace {

const char* const kPieces[] = {
    "[Service]\n", "[Unit]\n", "[X-Foo]\n", "[Broken\n", "\\\n", "# c\n", "; c\n", "=\n", "\n", "\r\n",
    "User=%i\n", "User=\n", "User=a:b\n", "DynamicUser=yes\n", "DynamicUser=maybe\n",
    "SystemCallFilter=~@mount:EPERM\n", "SystemCallFilter=@system-service\n", "SystemCallFilter=\n",
    "RestrictAddressFamilies=none\n", "RestrictAddressFamilies=~AF_INET \"AF_UNIX\n",
    "CapabilityBoundingSet=~\n", "CapabilityBoundingSet=CAP_SYS_ADMIN 'cap_kill'\n",
    "RestrictNamespaces=~user net\n", "IPAddressDeny=any\n", "IPAddressAllow=::1/200\n",
    "DeviceAllow=/dev/null rw\n", "DeviceAllow=%Z\n", "PrivateDevices=yes\n", "ProtectClock=1\n",
    "RootDirectory=relative\n", "UMask=9999\n", "ExecStart=/bin/true\n", "%%%\n", "\xff\xfe\n", "\0\n"};

TEST(Robustness, RandomInputsNeverCrash) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 400; ++round) {
    MemoryFileSystem fs;
    auto make = [&](bool bytes) {
      std::string t;
      int n = static_cast<int>(rng() % 30);
      for (int i = 0; i < n; ++i) {
        if (bytes)
          t += static_cast<char>(rng() % 256);
        else
          t += kPieces[rng() % (sizeof kPieces / sizeof *kPieces)];
      }
      return t;
    };
    bool bytes = round % 4 == 0;
    fs.add_file("/etc/systemd/system/r-a@.service", make(bytes));
    fs.add_file("/etc/systemd/system/r-a@x.service.d/a.conf", make(bytes));
    fs.add_file("/etc/systemd/system/r-.service.d/b.conf", make(false));
    fs.add_file("/etc/systemd/system/service.d/c.conf", make(false));
    LoadOptions o;
    o.version = round % 2 ? known_release(252) : newest_release();
    auto lu = load_unit(fs, "r-a@x.service", o);
    if (lu) {
      for (const auto& d : lu->diagnostics) EXPECT_FALSE(d.location.file.empty());
    } else {
      EXPECT_FALSE(lu.error().to_string().empty());
    }
  }
}

}  // namespace
}  // namespace sdh::unit
