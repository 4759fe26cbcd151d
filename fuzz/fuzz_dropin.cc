// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target for the drop-in round trip (tests/support/dropin_property):
// the input's bytes, split at 0xff, become the names of files, folders,
// sockets and programs a traced daemon used; the drop-in proposed from that
// profile must read back as planned, name only paths the daemon used, and
// carry no control character. A broken property traps, with the drop-in.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "support/dropin_property.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;  // names past PATH_MAX add nothing but time
  std::string bytes(reinterpret_cast<const char*>(data), size);
  auto profile = sdh::testing::hostile_profile(sdh::testing::names_from_bytes(bytes));
  std::string why = sdh::testing::check_dropin_property(profile, /*fast=*/true);
  if (!why.empty()) {
    std::fprintf(stderr, "drop-in property broken: %s\n", why.c_str());
    __builtin_trap();
  }
  return 0;
}
