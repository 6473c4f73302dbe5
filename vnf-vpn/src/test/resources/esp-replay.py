"""Captures the first ESP-in-UDP packet (in VXLAN) on an interface and sends it again, as it was, to where it went.

Usage: esp-replay.py INTERFACE VNI TIMEOUT_SECONDS
Watches the frames leaving INTERFACE for UDP datagrams that carry VXLAN of VNI, whose inner IPv4 packet is UDP to
port 4500 with a payload that is ESP (a non-zero SPI, not the 4-byte non-ESP marker of IKE) and at least 100 bytes
long (a ping's, not a keepalive). Resends the VXLAN datagram from a UDP socket to the same address and port, twice;
prints the SPI and sequence number replayed. Exits 1 if none came in time.
"""
import socket
import struct
import sys
import time

interface, vni, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
raw.bind((interface, 0))
raw.settimeout(0.5)
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    try:
        frame, meta = raw.recvfrom(65535)
    except socket.timeout:
        continue
    if meta[2] != socket.PACKET_OUTGOING or len(frame) < 14 + 20 + 8 + 8 + 14 + 20 + 8 + 100:
        continue
    if struct.unpack("!H", frame[12:14])[0] != 0x0800 or frame[14 + 9] != 17:
        continue
    ihl = (frame[14] & 0x0F) * 4
    outer_dst = socket.inet_ntoa(frame[14 + 16:14 + 20])
    udp = 14 + ihl
    dst_port = struct.unpack("!H", frame[udp + 2:udp + 4])[0]
    vxlan = frame[udp + 8:]
    if struct.unpack("!I", vxlan[4:8])[0] >> 8 != vni:
        continue
    inner = vxlan[8 + 14:]
    if struct.unpack("!H", vxlan[8 + 12:8 + 14])[0] != 0x0800 or inner[9] != 17:
        continue
    inner_udp = (inner[0] & 0x0F) * 4
    if struct.unpack("!H", inner[inner_udp + 2:inner_udp + 4])[0] != 4500:
        continue
    esp = inner[inner_udp + 8:]
    spi, sequence = struct.unpack("!II", esp[:8])
    if spi == 0 or len(esp) < 100:
        continue
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _ in range(2):
        sender.sendto(vxlan, (outer_dst, dst_port))
    print("replayed spi=%08x seq=%d" % (spi, sequence))
    sys.exit(0)
print("no ESP packet seen")
sys.exit(1)
