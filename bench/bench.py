#!/usr/bin/env python3
"""Callpark benchmark: SIPp through Kamailio against one and two app nodes on this machine.

    bench/bench.py [--quick] [--only PHASE,...] [--out FILE]

Phases (all by default, in this order):
  reference    Kamailio relaying plain calls (INVITE, auth, 200, ACK, BYE) to a registered SIPp UAS
  parks1       parks per second, one node (park, hold 1 s with music, caller hangs up)
  retrieves1   retrieves per second, one node (a parker and a retriever SIPp at the same rate)
  latency1     park-to-NOTIFY latency at the devices, one node, fixed rate
  capacity     calls one node holds parked with music (RTP counted), heap bytes per parked call
  parks2, retrieves2, latency2   the same with two nodes
  replication  time until a call parked through node 1 is listed by node 2 (REST API), after node 1 stored it

A rate passes when every call of the step succeeds (SIPp: no failed call) and the calls were placed at the asked
rate (SIPp's wall time within 10% + the hold time). The ladder stops at the first failing rate. Everything runs
through `./callpark up` under var/bench with its own ports; only processes this script started are stopped.
Results are printed as Markdown and written to --out (default var/bench/results.md).
"""
import argparse
import csv
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = os.path.join(ROOT, "bench", "scenarios")
VAR = os.environ.get("CALLPARK_BENCH_VAR", os.path.join(ROOT, "var", "bench"))
DOMAIN = "bench.test"
PASSWORD = "bench-pw"
KAMAILIO_PORT = int(os.environ.get("BENCH_KAMAILIO_PORT", "5960"))
SIP_PORT_BASE = int(os.environ.get("BENCH_SIP_PORT_BASE", "5980"))
PORT_OFFSET = int(os.environ.get("BENCH_PORT_OFFSET", "2000"))  # node K HTTP: 8080 + offset + (K-1)*100
SIPP_PORT_BASE = int(os.environ.get("BENCH_SIPP_PORT_BASE", "16000"))
SINK_PORT = int(os.environ.get("BENCH_RTP_SINK_PORT", "16990"))
FIRST_EXT = 2000
LADDER = [20, 40, 60, 80, 100, 130, 160, 200, 250, 300, 400, 500, 650, 800, 1000, 1300, 1600, 2000, 2500, 3000, 4000]
LOCK = threading.Lock()
STARTED = []  # processes this script started (stopped at exit by pid)


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


# ---------------------------------------------------------------- cluster

def launcher_env(nodes):
    env = dict(os.environ)
    env.update({
        "CALLPARK_VAR": VAR,
        "CALLPARK_KAMAILIO_PORT": str(KAMAILIO_PORT),
        "CALLPARK_SIP_PORT_BASE": str(SIP_PORT_BASE),
        "CALLPARK_PORT_OFFSET": str(PORT_OFFSET),
        "CALLPARK_CLUSTER": "bench",
        "CALLPARK_RTP_PORTS": "20000-39999",
        "CALLPARK_HEAP": os.environ.get("CALLPARK_HEAP", "1g"),
        "KAM_DS_PING_INTERVAL": "2",
    })
    return env


def callpark(nodes, *args, timeout=600):
    out = subprocess.run([os.path.join(ROOT, "callpark"), *args], env=launcher_env(nodes), cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError("./callpark %s failed:\n%s" % (" ".join(args), out.stdout))
    return out.stdout


def kam_rpc(*args):
    env = dict(os.environ, KAM_RUN_DIR=os.path.join(VAR, "kamailio"))
    return subprocess.run([os.path.join(ROOT, "kamailio-cfg", "kamailio-ctl"), "rpc", *args], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30, check=True).stdout


def http_port(node):
    return 8080 + PORT_OFFSET + (node - 1) * 100


def status(node):
    conn = http.client.HTTPConnection("127.0.0.1", http_port(node), timeout=5)
    conn.request("GET", "/callpark/api/status")
    return json.loads(conn.getresponse().read())


def await_parked(node, count, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if status(node)["parkedCalls"] == count:
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def node_pid(node):
    with open(os.path.join(VAR, "node%d" % node, "wildfly.pid")) as f:
        return int(f.read().strip())


def cluster_up(nodes, exts):
    log("starting Kamailio + %d node(s) (./callpark up --nodes %d --fresh, var %s)" % (nodes, nodes, VAR))
    callpark(nodes, "up", "--nodes", str(nodes), "--fresh")
    users = [("bench", PASSWORD), ("uas", PASSWORD)] + [(str(FIRST_EXT + i), PASSWORD) for i in range(exts)]
    db = os.path.join(VAR, "kamailio", "callpark.db")
    existing = subprocess.run(["sqlite3", db, "select count(*) from subscriber where domain='%s'" % DOMAIN],
                              stdout=subprocess.PIPE, text=True).stdout.strip()
    if existing != str(len(users)):
        log("adding %d subscribers" % len(users))
        for user, pw in users:
            callpark(nodes, "subscriber", "add", "%s@%s" % (user, DOMAIN), pw)


def cluster_down(nodes):
    log("stopping (./callpark down)")
    callpark(nodes, "down")


# ---------------------------------------------------------------- SIPp

class Sipp:
    """One SIPp process, started by this script and stopped by its pid."""

    count = 0

    def __init__(self, name, args, logs=False):
        Sipp.count += 1
        self.port = SIPP_PORT_BASE + Sipp.count
        self.dir = os.path.join(VAR, "sipp", "%02d-%s" % (Sipp.count, name))
        os.makedirs(self.dir, exist_ok=True)
        self.stat = os.path.join(self.dir, "stat.csv")
        self.logfile = os.path.join(self.dir, "calls.log")
        cmd = ["sipp", "127.0.0.1:%d" % KAMAILIO_PORT, "-i", "127.0.0.1", "-p", str(self.port), "-nostdin",
               "-key", "domain", DOMAIN, "-key", "caller", "bench", "-key", "rtp_port", str(SINK_PORT),
               "-au", "bench", "-ap", PASSWORD, "-trace_stat", "-stf", self.stat, "-fd", "1",
               "-trace_err", "-error_file", os.path.join(self.dir, "errors.log"),
               "-max_recv_loops", "10000", "-max_sched_loops", "10000", "-buff_size", str(4 << 20)]
        if logs:
            cmd += ["-trace_logs", "-log_file", self.logfile]
        cmd += args
        self.started = time.time()
        self.proc = subprocess.Popen(cmd, cwd=self.dir, stdout=subprocess.DEVNULL, stderr=open(
            os.path.join(self.dir, "stderr.log"), "w"), start_new_session=True)
        STARTED.append(self.proc)

    def wait(self, timeout):
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
        self.elapsed = time.time() - self.started
        return self.result()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def result(self):
        rows = []
        try:
            with open(self.stat) as f:
                rows = list(csv.reader(f, delimiter=";"))
        except OSError:
            pass
        if len(rows) < 2:
            return {"ok": 0, "failed": -1}
        header, last = rows[0], rows[-1]
        value = lambda col: int(last[header.index(col)])
        return {"ok": value("SuccessfulCall(C)"), "failed": value("FailedCall(C)")}

    def log_lines(self):
        try:
            with open(self.logfile) as f:
                return f.read().splitlines()
        except OSError:
            return []


def injection(name, lines):
    path = os.path.join(VAR, "sipp", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("SEQUENTIAL\n")
        f.write("\n".join(lines) + "\n")
    return path


def ext_targets(prefix, exts, count):
    return [prefix + str(FIRST_EXT + i % exts) for i in range(count)]


def start_devices(exts, logs=False):
    """A SIPp in server mode plays one device of every extension (and gets their park-info NOTIFYs)."""
    devices = Sipp("devices", ["-sf", os.path.join(SCENARIOS, "devices.xml")], logs=logs)
    register(devices.port, [str(FIRST_EXT + i) for i in range(exts)])
    return devices


def register(contact_port, users):
    """Registers each user (password PASSWORD) with a contact at 127.0.0.1:contact_port (digest, qop=auth)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(5)
    local = sock.getsockname()[1]
    for n, user in enumerate(users):
        call_id = "reg-%d-%d-%s" % (os.getpid(), contact_port, user)

        def request(cseq, auth=""):
            msg = ("REGISTER sip:%s SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK%s%d;rport\r\n"
                   "Max-Forwards: 70\r\nFrom: <sip:%s@%s>;tag=b%d\r\nTo: <sip:%s@%s>\r\nCall-ID: %s\r\n"
                   "CSeq: %d REGISTER\r\nContact: <sip:%s@127.0.0.1:%d>\r\nExpires: 3600\r\n%s"
                   "Content-Length: 0\r\n\r\n") % (DOMAIN, local, call_id, cseq, user, DOMAIN, n, user, DOMAIN,
                                                    call_id, cseq, user, contact_port, auth)
            sock.sendto(msg.encode(), ("127.0.0.1", KAMAILIO_PORT))
            while True:
                reply = sock.recv(65535).decode(errors="replace")
                if call_id in reply and ("CSeq: %d " % cseq) in reply and not reply.startswith("SIP/2.0 1"):
                    return reply

        challenge = request(1)
        m = re.search(r'nonce="([^"]+)"', challenge)
        if not challenge.startswith("SIP/2.0 401") or not m:
            raise RuntimeError("REGISTER %s: expected a challenge, got %s" % (user, challenge.splitlines()[0]))
        nonce, uri, cnonce = m.group(1), "sip:" + DOMAIN, "%08x" % n
        md5 = lambda text: hashlib.md5(text.encode()).hexdigest()
        ha1 = md5("%s:%s:%s" % (user, DOMAIN, PASSWORD))
        ha2 = md5("REGISTER:" + uri)
        response = md5("%s:%s:00000001:%s:auth:%s" % (ha1, nonce, cnonce, ha2))
        auth = ('Authorization: Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s", '
                'algorithm=MD5, qop=auth, nc=00000001, cnonce="%s"\r\n') % (user, DOMAIN, nonce, uri, response,
                                                                            cnonce)
        final = request(2, auth)
        if not final.startswith("SIP/2.0 200"):
            raise RuntimeError("REGISTER %s: %s" % (user, final.splitlines()[0]))
    sock.close()


def run_calls(name, targets, rate, hold_ms, scenario="call.xml", logs=False, limit=None):
    inf = injection(name + ".csv", targets)
    n = len(targets)
    args = ["-sf", os.path.join(SCENARIOS, scenario), "-inf", inf, "-m", str(n), "-r", str(rate), "-rp", "1000",
            "-d", str(hold_ms), "-l", str(limit or max(100, int(rate * (hold_ms / 1000 + 10))))]
    return Sipp(name, args, logs=logs)


def step_passes(result, sipp, n, rate, hold_ms):
    placed_in_time = sipp.elapsed <= n / rate * 1.1 + hold_ms / 1000 + 2.5
    return result["failed"] == 0 and result["ok"] == n and placed_in_time


def ladder(label, nodes, one_step, seconds):
    """Runs one_step(rate, n) up the ladder; returns (best passing rate, first failing rate, details)."""
    best, failing, details = 0, None, []
    for rate in LADDER:
        n = rate * seconds
        ok, detail = one_step(rate, n)
        details.append("%d/s: %s" % (rate, detail))
        log("%s %d/s x %d calls: %s %s" % (label, rate, n, "pass" if ok else "FAIL", detail))
        if not ok:
            failing = rate  # calls of a failed step may stay parked: the caller restarts the cluster
            break
        for node in range(1, nodes + 1):
            if not await_parked(node, 0, timeout=60):
                raise RuntimeError("node %d still holds parked calls after a step without failures" % node)
        best = rate
    return best, failing, details


# ---------------------------------------------------------------- phases

def warm_up(nodes, exts, seconds):
    """Parks and retrieves at a moderate rate, not measured: freshly started JVMs spend their first minute
    compiling (the JIT took 30 s of CPU per node in a first minute of load here), which is not what they cost."""
    log("warm-up: %d s of parks and retrieves at 20/s per node (not measured)" % seconds)
    rate = 20 * nodes
    n = rate * seconds
    parker = run_calls("warmup-park", ext_targets("*68", exts, n), rate, 0, scenario="park_until_retrieved.xml",
                       limit=n)
    time.sleep(2)
    retriever = run_calls("warmup-retrieve", ext_targets("*88", exts, n), rate, 200)
    retriever.wait(seconds * 3 + 60)
    parker.wait(30)
    for node in range(1, nodes + 1):
        if not await_parked(node, 0, timeout=60):
            log("warm-up left calls parked on node %d; restarting" % node)
            return False
    return True


def reference(seconds):
    uas = Sipp("uas", ["-sf", os.path.join(SCENARIOS, "uas.xml")])
    register(uas.port, ["uas"])
    hold = 1000

    def step(rate, n):
        sipp = run_calls("plain-%d" % rate, ["uas"] * n, rate, hold)
        r = sipp.wait(n / rate * 2 + 60)
        return step_passes(r, sipp, n, rate, hold), "%d ok, %d failed, %.1f s" % (r["ok"], r["failed"], sipp.elapsed)

    result = ladder("plain calls", 1, step, seconds)
    uas.stop()
    return result


def parks(nodes, exts, seconds):
    hold = 1000

    def step(rate, n):
        sipp = run_calls("park%d-%d" % (nodes, rate), ext_targets("*68", exts, n), rate, hold)
        r = sipp.wait(n / rate * 2 + 60)
        return step_passes(r, sipp, n, rate, hold), "%d ok, %d failed, %.1f s" % (r["ok"], r["failed"], sipp.elapsed)

    return ladder("parks (%d node%s)" % (nodes, "s" if nodes > 1 else ""), nodes, step, seconds)


def retrieves(nodes, exts, seconds):
    offset = 2.0

    def step(rate, n):
        parker = run_calls("parker%d-%d" % (nodes, rate), ext_targets("*68", exts, n), rate, 0,
                           scenario="park_until_retrieved.xml", limit=n)
        time.sleep(offset)  # the retrievers follow the parkers at the same rate, this far behind
        retriever = run_calls("retriever%d-%d" % (nodes, rate), ext_targets("*88", exts, n), rate, 200)
        rr = retriever.wait(n / rate * 2 + 60)
        rp = parker.wait(30)
        ok = step_passes(rr, retriever, n, rate, 200) and rp["failed"] == 0 and rp["ok"] == n
        return ok, "retrievers %d ok %d failed %.1f s; parkers %d ok %d failed" % (
            rr["ok"], rr["failed"], retriever.elapsed, rp["ok"], rp["failed"])

    return ladder("retrieves (%d node%s)" % (nodes, "s" if nodes > 1 else ""), nodes, step, seconds)


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def stamp(parts):
    return float(parts[0]) + float(parts[1]) / 1e6


def latency(nodes, exts, devices_holder, rate, count):
    """Park-to-NOTIFY at the devices: from the parker's authenticated INVITE to the parked NOTIFY's arrival."""
    devices_holder[0].stop()
    devices_holder[0] = start_devices(exts, logs=True)
    sipp = run_calls("latency%d" % nodes, ext_targets("*68", exts, count), rate, 500, logs=True)
    r = sipp.wait(count / rate * 2 + 60)
    await_parked(1, 0)
    invites, oks = {}, {}
    for line in sipp.log_lines():
        parts = line.split()
        if len(parts) == 4 and parts[0] in ("INVITE", "OK"):
            (invites if parts[0] == "INVITE" else oks)["b" + parts[1]] = stamp(parts[2:])
    notified = {}
    deadline = time.time() + 10
    while time.time() < deadline and len(notified) < len(invites):
        for line in devices_holder[0].log_lines():
            parts = line.split()
            if len(parts) >= 5 and parts[0] == "NOTIFY" and parts[1] == "parked":
                notified.setdefault(parts[2], stamp(parts[3:]))
        time.sleep(0.5)
    to_notify = [(notified[c] - t) * 1000 for c, t in invites.items() if c in notified]
    to_ok = [(oks[c] - t) * 1000 for c, t in invites.items() if c in oks]
    return {"calls": count, "ok": r["ok"], "failed": r["failed"], "notified": len(to_notify),
            "notify_p50": percentile(to_notify, 50), "notify_p99": percentile(to_notify, 99),
            "ok_p50": percentile(to_ok, 50), "ok_p99": percentile(to_ok, 99)}


def heap_used_bytes(pid):
    """Heap in use after a full GC (the least of three GCs: what is live, without floating garbage)."""
    jcmd = shutil.which("jcmd") or os.path.join(os.path.dirname(os.path.realpath(shutil.which("java"))), "jcmd")
    used = []
    for _ in range(3):
        subprocess.run([jcmd, str(pid), "GC.run"], stdout=subprocess.DEVNULL, check=True, timeout=60)
        out = subprocess.run([jcmd, str(pid), "GC.heap_info"], stdout=subprocess.PIPE, text=True, check=True,
                             timeout=60).stdout
        used.append(int(re.search(r"used (\d+)K", out).group(1)) * 1024)
    return min(used)


def capacity(exts, steps, sink):
    """Parks calls in steps and holds them; at each step counts the music streams arriving complete at the sink."""
    limit_per_ext = 10
    held = []
    rows = []
    base = heap_used_bytes(node_pid(1))
    samples = [(0, base)]
    best = 0
    parked = 0
    per_ext = [0] * exts
    for target in steps:
        if target > exts * limit_per_ext:
            break
        more = target - parked
        targets = []
        for i in range(more):  # extensions with room, round robin
            e = (parked + i) % exts
            per_ext[e] += 1
            targets.append("*68" + str(FIRST_EXT + e))
        sipp = run_calls("hold-%d" % target, targets, 200, 3600 * 1000, limit=more)
        held.append(sipp)
        if not await_parked(1, target, timeout=more / 200 + 120):
            rows.append((target, "parks failed: %s" % status(1)["parkedCalls"], "", "", ""))
            break
        parked = target
        time.sleep(2)  # let every new stream pass its first packets before the window opens
        before, t0 = udp_counters(), time.time()
        line = sink.measure(5)
        after, elapsed = udp_counters(), time.time() - t0
        # while the calls are held nothing but the node's music is sent on this machine (SIPp, Kamailio and the
        # sink are idle), so the kernel's count of datagrams sent is the node's RTP rate
        sent = (after["OutDatagrams"] - before["OutDatagrams"]) / elapsed
        dropped = after["RcvbufErrors"] - before["RcvbufErrors"]
        streams, complete = int(line["streams"]), int(line["complete"])
        used = heap_used_bytes(node_pid(1))
        samples.append((target, used))
        ok = sent >= target * 50 * 0.97
        rows.append((target, "%.0f (%.0f%%)" % (sent, 100 * sent / (target * 50)), line["pps"],
                     "%d/%d" % (complete, streams), str(dropped), "%.1f MB" % (used / 2**20)))
        log("capacity %d parked: node sends %.0f RTP/s (%.0f%% of %d); sink receives %s/s, %d complete of %d "
            "streams, %d dropped by full sockets; heap %.1f MB" % (target, sent, 100 * sent / (target * 50),
                                                                   target * 50, line["pps"], complete, streams,
                                                                   dropped, used / 2**20))
        if ok and best == parked - more:  # every step so far held its music
            best = target
        # the steps go on past the music's limit: the heap figure gains precision with more calls
    for sipp in held:
        sipp.stop()
    return best, rows, base, slope(samples)


def slope(points):
    """Least-squares slope of y over x: heap bytes per parked call."""
    n = len(points)
    if n < 2:
        return float("nan")
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)


def udp_counters():
    """The kernel's UDP counters (RcvbufErrors: datagrams dropped because a socket's buffer was full)."""
    with open("/proc/net/snmp") as f:
        rows = [l.split() for l in f if l.startswith("Udp:")]
    return {k: int(v) for k, v in zip(rows[0][1:], rows[1][1:])}


class Sink:
    def __init__(self):
        java = shutil.which("java")
        self.proc = subprocess.Popen([java, os.path.join(ROOT, "bench", "RtpSink.java"), "127.0.0.1",
                                      str(SINK_PORT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        STARTED.append(self.proc)
        assert self.proc.stdout.readline().strip() == "ready"

    def measure(self, seconds):
        self.proc.stdin.write("measure %s\n" % seconds)
        self.proc.stdin.flush()
        return dict(kv.split("=") for kv in self.proc.stdout.readline().split())

    def stop(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        self.proc.wait(10)


class Poller(threading.Thread):
    """Lists one node's parked calls of the bench tenant as fast as it answers; records when each park id is
    first seen there (wall clock, the same clock the nodes stamp parkedAt with: one machine)."""

    def __init__(self, node):
        super().__init__(daemon=True)
        self.node, self.first_seen, self.polls, self.running = node, {}, 0, True

    def run(self):
        with open(os.path.join(VAR, "api-key")) as f:
            key = f.read().strip()
        conn = http.client.HTTPConnection("127.0.0.1", http_port(self.node), timeout=5)
        while self.running:
            conn.request("GET", "/callpark/api/tenants/%s/parked" % DOMAIN,
                         headers={"Authorization": "Bearer " + key})
            calls = json.loads(conn.getresponse().read())["calls"]
            now = time.time()
            self.polls += 1
            for call in calls:
                self.first_seen.setdefault(call["parkId"], (now, call["parkedAt"]))


def epoch(iso):
    """Seconds since the epoch of an ISO-8601 UTC instant as the API writes it."""
    from datetime import datetime
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def replication(exts, count):
    """Parks one call at a time through node 1 while both nodes list their parked calls: how long after node 1
    stored a call (its parkedAt) does node 2 list it, compared with node 1 listing it?"""
    other = "sip:127.0.0.1:%d;transport=udp" % (SIP_PORT_BASE + 1)
    kam_rpc("dispatcher.set_state", "d", "1", other)
    try:
        a, b = Poller(1), Poller(2)
        a.start()
        b.start()
        started = time.time()
        sipp = run_calls("replication", ext_targets("*68", exts, count), 2, 500)
        r = sipp.wait(count / 2 * 2 + 60)
        time.sleep(1)
        a.running = b.running = False
        a.join(10)
        b.join(10)
        elapsed = time.time() - started
    finally:
        kam_rpc("dispatcher.set_state", "a", "1", other)
    both = [p for p in a.first_seen if p in b.first_seen]
    on_a = [(a.first_seen[p][0] - epoch(a.first_seen[p][1])) * 1000 for p in both]
    on_b = [(b.first_seen[p][0] - epoch(b.first_seen[p][1])) * 1000 for p in both]
    return {"calls": count, "ok": r["ok"], "failed": r["failed"], "matched": len(both),
            "a_p50": percentile(on_a, 50), "a_p99": percentile(on_a, 99),
            "b_p50": percentile(on_b, 50), "b_p99": percentile(on_b, 99),
            "poll_ms": elapsed * 1000 / max(1, min(a.polls, b.polls))}


# ---------------------------------------------------------------- main

def cleanup(*_):
    for p in STARTED:
        if p.poll() is None:
            p.kill()
            p.wait()
    if os.path.exists(os.path.join(VAR, "kamailio")):
        subprocess.run([os.path.join(ROOT, "callpark"), "down"], env=launcher_env(1), cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short steps (5 s instead of 10 s), fewer samples")
    parser.add_argument("--only", default="", help="comma-separated phases to run")
    parser.add_argument("--out", default=os.path.join(VAR, "results.md"))
    parser.add_argument("--ladder", default="", help="comma-separated rates to climb instead of the default ladder")
    parser.add_argument("--warmup", type=int, default=None,
                        help="seconds of unmeasured load before each phase (default 30, 15 with --quick; 0: none)")
    args = parser.parse_args()
    if args.ladder:
        LADDER[:] = [int(r) for r in args.ladder.split(",")]
    phases = [p for p in args.only.split(",") if p] or [
        "reference", "parks1", "retrieves1", "latency1", "capacity", "parks2", "retrieves2", "latency2",
        "replication"]
    seconds = 5 if args.quick else 10
    exts = 600
    results = {}
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    shutil.rmtree(os.path.join(VAR, "sipp"), ignore_errors=True)
    try:
        for nodes in (1, 2):
            mine = [p for p in phases if p.endswith(str(nodes)) or (nodes == 1 and p in ("reference", "capacity"))
                    or (nodes == 2 and p == "replication")]
            if not mine:
                continue
            sink = Sink()
            devices = [None]
            for phase in mine:
                # every phase starts from freshly started nodes with an empty park, warmed up
                for attempt in range(3):
                    if devices[0]:
                        devices[0].stop()
                        cluster_down(nodes)
                    cluster_up(nodes, exts)
                    devices = [start_devices(exts)]
                    warmup = args.warmup if args.warmup is not None else 15 if args.quick else 30
                    if warmup == 0 or warm_up(nodes, exts, warmup):
                        break
                log("== %s" % phase)
                if phase == "reference":
                    results[phase] = reference(seconds)
                elif phase.startswith("parks"):
                    results[phase] = parks(nodes, exts, seconds)
                elif phase.startswith("retrieves"):
                    results[phase] = retrieves(nodes, exts, seconds)
                elif phase.startswith("latency"):
                    results[phase] = latency(nodes, exts, devices, 20, 300 if args.quick else 600)
                    log("%s: %s" % (phase, results[phase]))
                elif phase == "capacity":
                    steps = [500, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000]
                    results[phase] = capacity(exts, steps[:4] if args.quick else steps, sink)
                elif phase == "replication":
                    results[phase] = replication(exts, 50 if args.quick else 100)
                    log("replication: %s" % results[phase])
            devices[0].stop()
            devices = [None]
            sink.stop()
            cluster_down(nodes)
    finally:
        cleanup()
    report = render(results, " ".join(sys.argv[1:]))
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(report)
    print(report)


def render(results, argv):
    cpu = subprocess.run(["sh", "-c", "nproc; grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                         stdout=subprocess.PIPE, text=True).stdout.split("\n")
    lines = ["# Benchmark run %s" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "",
             "Command: `bench/bench.py %s` on %s cores (%s)" % (argv, cpu[0].strip(), cpu[1].strip()), ""]
    ref = results.get("reference")
    if ref:
        lines.append("| rate ladder | highest rate with no failed call | first failing | vs reference |")
        lines.append("|---|---|---|---|")
        for key, label in (("reference", "Kamailio relaying plain calls to a SIPp UAS"),
                           ("parks1", "parks/s, 1 node"), ("retrieves1", "retrieves/s, 1 node"),
                           ("parks2", "parks/s, 2 nodes"), ("retrieves2", "retrieves/s, 2 nodes")):
            if key in results:
                best, failing, _ = results[key]
                ratio = "%.2f" % (best / ref[0]) if ref[0] else "-"
                lines.append("| %s | %d/s | %s | %s |" % (label, best, "%d/s" % failing if failing else "none",
                                                            ratio))
        lines.append("")
    else:
        for key in ("parks1", "retrieves1", "parks2", "retrieves2"):
            if key in results:
                best, failing, _ = results[key]
                lines.append("- %s: %d/s (first failing %s)" % (key, best, failing))
    for key in ("latency1", "latency2"):
        if key in results:
            r = results[key]
            lines.append("- %s (20 parks/s, %d calls, %d ok, %d failed, %d NOTIFYs matched): park-to-NOTIFY "
                         "p50 %.1f ms, p99 %.1f ms; INVITE-to-200 p50 %.1f ms, p99 %.1f ms" % (
                             key, r["calls"], r["ok"], r["failed"], r["notified"], r["notify_p50"],
                             r["notify_p99"], r["ok_p50"], r["ok_p99"]))
    if "capacity" in results:
        best, rows, base, per_call = results["capacity"]
        lines += ["", "Capacity, one node (heap used after a full GC: %.1f MB with no parked call):" % (base / 2**20),
                  "",
                  "| parked | RTP packets/s the node sends (of 50 per call) | packets/s the sink receives | "
                  "sink: complete streams / streams | dropped by full sockets | heap used |",
                  "|---|---|---|---|---|---|"]
        lines += ["| %s | %s | %s | %s | %s | %s |" % row for row in rows]
        lines.append("")
        lines.append("Most calls held parked with music (the node sends >= 97%% of 50 packets/s per call, every "
                     "step up to it too): %d; heap per parked call (least-squares slope of heap over parked "
                     "calls): %.0f bytes" % (best, per_call))
    if "replication" in results:
        r = results["replication"]
        lines.append("")
        lines.append("- replication (%d parks through node 1, 2/s, each held 0.5 s; %d ok, %d failed; %d seen on both"
                     " nodes; each node listed every %.1f ms): after node 1 stored the call, node 1 lists it p50 %.1f"
                     " ms / p99 %.1f ms, node 2 p50 %.1f ms / p99 %.1f ms" % (
                         r["calls"], r["ok"], r["failed"], r["matched"], r["poll_ms"], r["a_p50"], r["a_p99"],
                         r["b_p50"], r["b_p99"]))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
