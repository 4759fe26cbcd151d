#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""e2e: a daemon that starts login sessions, as cron or sshd do: for each
connection it opens a PAM session for the named login account (runuser -l)
and runs a command in it through the account's shell. The command is
`sudo -n true`: it works only if the session kept what sudo needs."""
import socket
import subprocess
import sys

port = int(sys.argv[1])
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(4)
while True:
    conn, _ = srv.accept()
    with conn:
        user = conn.recv(64).decode(errors="replace").strip()
        if not user.isidentifier():
            conn.sendall(b"bad user\n")
            continue
        r = subprocess.run(["runuser", "-l", user, "-c", "sudo -n true && echo SUDO-OK"],
                           capture_output=True, text=True, timeout=30)
        conn.sendall((r.stdout + r.stderr).encode())
