// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel's names for capability and address-family numbers
// (linux/capability.h, sys/socket.h): one table for every module.
#pragma once

#include <string>
#include <string_view>

namespace sdh {

// Number of capabilities this table knows (CAP_CHOWN = 0 ... CAP_CHECKPOINT_RESTORE).
int capability_count();
// "CAP_NET_ADMIN"; "" when unknown.
std::string_view capability_name(int number);
// "CAP_NET_ADMIN"; "CAP_99" for a number this table does not know (a newer kernel's).
std::string capability_text(int number);
// Number of an upper-case "CAP_..." name; -1 when unknown.
int capability_number(std::string_view name);

// "EPERM" for 1; the number as text when the C library knows no name.
std::string errno_name(int number);

// "AF_INET6" for 10; "" when unknown.
std::string_view address_family_name(int number);
// True for every "AF_..." name, aliases (AF_LOCAL, AF_ROUTE) included.
bool is_address_family_name(std::string_view name);

}  // namespace sdh
