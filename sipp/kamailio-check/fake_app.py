#!/usr/bin/env python3
"""Plays a Callpark app node for the Kamailio check: answers INVITE (200 with SDP), BYE and OPTIONS (200),
seals each reply with X-Callpark-Auth as a node does (secret from CALLPARK_SIP_SECRET), or not at all with
--no-seal (an impostor on a node's address). With --full it answers every INVITE 503 with Retry-After, as a
node at its media capacity does. Logs each request it gets (without CRs) after a
"----" line, then "SEAL ok <claims>", "SEAL bad" or "SEAL none". Stops after --seconds (bounded) or when killed.

Usage: fake_app.py IP PORT LOGFILE [--no-seal] [--full] [--seconds N]
"""
import hashlib
import os
import socket
import sys
import time


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def digest(secret, kind, call_id, cseq, from_tag, claims):
    return sha256(f"{secret}|{kind}|{call_id}|{cseq}|{from_tag}|{claims}|{secret}")


def headers_of(message):
    head = message.split("\r\n\r\n", 1)[0].split("\r\n")
    found = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        found.setdefault(name.strip().lower(), []).append(value.strip())
    return head[0], found


def first(hdrs, name):
    return hdrs.get(name, [""])[0]


def tag_of(value):
    for part in value.split(";")[1:]:
        key, _, val = part.strip().partition("=")
        if key == "tag":
            return val
    return ""


def main():
    ip, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    seal_replies = "--no-seal" not in sys.argv
    full = "--full" in sys.argv
    seconds = int(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 60
    secret = os.environ["CALLPARK_SIP_SECRET"]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((ip, port))
    sock.settimeout(0.5)
    deadline = time.monotonic() + seconds
    with open(log, "a", buffering=1) as out:
        while time.monotonic() < deadline:
            try:
                data, peer = sock.recvfrom(65535)
            except socket.timeout:
                continue
            text = data.decode(errors="replace")
            start, hdrs = headers_of(text)
            if start.startswith("SIP/2.0"):
                continue
            method = start.split(" ", 1)[0]
            call_id = first(hdrs, "call-id")
            cseq = first(hdrs, "cseq").split(" ")[0]
            from_tag = tag_of(first(hdrs, "from"))
            seal = first(hdrs, "x-callpark-auth")
            kind = "INVITE" if method in ("ACK", "CANCEL") else method
            claims = seal[65:] if len(seal) > 65 else ""
            if not seal:
                verdict = "SEAL none"
            elif seal[:64].lower() == digest(secret, kind, call_id, cseq, from_tag, claims):
                verdict = "SEAL ok " + claims
            else:
                verdict = "SEAL bad"
            out.write("----\n" + text.split("\r\n\r\n", 1)[0].replace("\r", "") + "\n" + verdict + "\n")
            if method == "ACK":
                continue
            to = first(hdrs, "to")
            if method == "INVITE" and "tag=" not in to:
                to += ";tag=fake" + call_id[:8]
            body = ""
            status, extra = "200 OK", []
            if method == "INVITE" and full:
                status = "503 Service Unavailable: this node's media capacity is reached"
                extra = ["Retry-After: 30"]
            elif method == "INVITE":
                body = (f"v=0\r\no=fake 1 1 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\n"
                        "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
            lines = ["SIP/2.0 " + status]
            lines += ["Via: " + v for v in hdrs.get("via", [])]
            lines += ["Record-Route: " + r for r in hdrs.get("record-route", [])]
            lines += ["From: " + first(hdrs, "from"), "To: " + to, "Call-ID: " + call_id,
                      "CSeq: " + first(hdrs, "cseq"), f"Contact: <sip:fake@{ip}:{port};transport=udp>"] + extra
            if seal_replies:
                lines.append("X-Callpark-Auth: " + digest(secret, status[:3], call_id, cseq, from_tag, ""))
            if body:
                lines.append("Content-Type: application/sdp")
            lines.append(f"Content-Length: {len(body)}")
            sock.sendto(("\r\n".join(lines) + "\r\n\r\n" + body).encode(), peer)


if __name__ == "__main__":
    main()
