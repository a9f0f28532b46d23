#!/usr/bin/env python3
"""Loopback TCP helpers for the host preflight tests.

  tcp-helper.py silent ADDR
      accept connections and never send a byte (an SSH port that hangs)
  tcp-helper.py slow ADDR TARGET_HOST TARGET_PORT DELAY_MS
      forward to TARGET, holding every chunk DELAY_MS in each direction

Prints the port it listens on, then serves until killed.  Loopback only.
"""
import ipaddress
import socket
import sys
import threading
import time


def listen(addr):
    if not ipaddress.ip_address(addr).is_loopback:
        sys.exit("tcp-helper: %s is not a loopback address" % addr)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 0))
    s.listen(64)
    print(s.getsockname()[1], flush=True)
    return s


def pump(src, dst, delay):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            time.sleep(delay)
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def main():
    mode, addr = sys.argv[1], sys.argv[2]
    srv = listen(addr)
    held = []
    while True:
        conn, _ = srv.accept()
        if mode == "silent":
            held.append(conn)
            continue
        host, port, delay = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]) / 1000.0
        up = socket.create_connection((host, port))
        for a, b in ((conn, up), (up, conn)):
            threading.Thread(target=pump, args=(a, b, delay), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
