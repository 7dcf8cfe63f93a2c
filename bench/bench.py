#!/usr/bin/env python3
"""Callpark benchmark: SIPp through Kamailio against one and two app nodes on this machine.

    bench/bench.py [--quick] [--only PHASE,...] [--runs N] [--min-success PCT] [--warmup S]
                   [--ladder R,...] [--capacity-target N] [--out FILE] [--json FILE]

Phases (all by default, in this order):
  reference          Kamailio relaying plain calls (INVITE, auth, 200, ACK, 1 s, BYE) to a registered SIPp UAS
  park-cycles1       park cycles per second, one node: the transferee's INVITE to *68<ext> with Referred-By naming
                     the parker (as a phone sends it after a blind transfer), 1 s of music, the caller hangs up
  retrieve-cycles1   retrieve cycles per second, one node: a park cycle's park, then a retrieve (*88<ext>) 2 s later
                     that joins the caller, 0.2 s of talk, hang up
  latency1           park-to-NOTIFY latency at the devices, one node, fixed rate
  capacity           calls one node holds parked with music (RTP sent and received, inter-packet gaps of a sample of
                     streams), heap bytes per parked call; recall off
  park-cycles2, retrieve-cycles2, latency2   the same with two nodes
  replication        time until a call parked through node 1 is listed by node 2 (REST API), after node 1 stored it
(The names of the release before, parks1/retrieves1/parks2/retrieves2, still select the cycles.)

Every phase runs --runs times (3) and reports the median with every run's value. A ladder step passes when at
least --min-success percent (99.9) of its operations succeed and they were placed at the asked rate (SIPp's wall
time within 10% + the hold time); each step reports its success rate, the p50/p90/p99 of its key latency (INVITE to
200 of the park; of the retrieve for retrieve cycles) and the UDP datagrams the kernel dropped meanwhile
(/proc/net/snmp Udp: RcvbufErrors, InErrors). The ladder stops at the first failing rate.

Each node count gets one cluster, started by `./callpark up --nodes N --fresh` under var/bench on its own ports with
its own operator key, the tenant configured through the REST API as a real one is (recallTime 900, callsPerExtension
for the load, a park group, a webhook to a receiver this script runs on 127.0.0.1), then --warmup seconds of retrieve
cycles climbing to 40/s (a quarter, a half, then all of it), the same for one and two nodes. Only processes this script started are stopped, by pid.
Results are printed as Markdown and written to --out (var/bench/results.md) and --json (var/bench/results.json).
"""
import argparse
import collections
import concurrent.futures
import csv
import hashlib
import http.client
import http.server
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, asdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = os.path.join(ROOT, "bench", "scenarios")
VAR = os.environ.get("CALLPARK_BENCH_VAR", os.path.join(ROOT, "var", "bench"))
DOMAIN = "bench.test"
PASSWORD = "bench-pw"
KAMAILIO_PORT = int(os.environ.get("BENCH_KAMAILIO_PORT", "5960"))
SIP_PORT_BASE = int(os.environ.get("BENCH_SIP_PORT_BASE", "5980"))
PORT_OFFSET = int(os.environ.get("BENCH_PORT_OFFSET", "2000"))  # node K HTTP: 8080 + offset + (K-1)*100
SIPP_PORT_BASE = int(os.environ.get("BENCH_SIPP_PORT_BASE", "16000"))  # the devices SIPp; others from base+1
SIPP_PORTS = 900  # calling SIPps take ports base+1 .. base+SIPP_PORTS-1, reused once stopped
UAS_PORT = SIPP_PORT_BASE + SIPP_PORTS  # the reference callee (registered SIPps keep their port: one contact each)
WEBHOOK_PORT = int(os.environ.get("BENCH_WEBHOOK_PORT", "16980"))
SINK_PORT = int(os.environ.get("BENCH_RTP_SINK_PORT", "16990"))
# the operator key handed to ./callpark up (CALLPARK_API_KEY) and sent by every REST call of this run
API_KEY = os.environ.get("BENCH_API_KEY") or secrets.token_urlsafe(24)
FIRST_EXT = 2000
EXTENSIONS = 600
LADDER = [20, 40, 60, 80, 100, 130, 160, 200, 250, 300, 400, 500, 650, 800, 1000, 1300, 1600, 2000, 2500, 3000, 4000]
QUICK_LADDER = [25, 50]
PARK_HOLD_MS = 1000  # music a park cycle's caller listens to before hanging up
TALK_MS = 200  # talk of a retrieve cycle's retriever with the caller
RETRIEVE_OFFSET_S = 2.0  # the retrievers follow the parkers this far behind
LATENCY_HOLD_MS = 500
REPLICATION_HOLD_MS = 500
RECALL_TIME_S = 900  # the tenant's recallTime: the most the API allows, no recall fires during a phase
WARMUP_ROUND_S = 10  # a warm-up round after the climb, repeated until the JIT is quiet
WARMUP_JIT_QUIET = 0.10  # cores of compiler threads a node may use in a round for the JIT to count as quiet
WARMUP_MAX_ROUNDS = 12
WARMUP_RATE = 40  # retrieve cycles per second of the warm-up, whatever the node count: enough calls for C2
PARK_GROUP = "bench-team"
PARK_GROUP_MEMBERS = 10
CAPACITY_PARK_RATE = 200
REGISTRATION_REFRESH_S = 1800  # Kamailio keeps a registration 3600 s at most
MAX_RESTARTS = 3  # of one cluster, when calls stay parked that the API cannot hang up
PHASES = ["reference", "park-cycles1", "retrieve-cycles1", "latency1", "capacity", "park-cycles2",
          "retrieve-cycles2", "latency2", "replication"]
OLD_PHASE_NAMES = {"parks1": "park-cycles1", "retrieves1": "retrieve-cycles1", "parks2": "park-cycles2",
                   "retrieves2": "retrieve-cycles2"}
# estimates for the planned duration (seconds; the first `up` also builds, 1-2 min, and adds the subscribers)
CLUSTER_UP_S = {1: 60, 2: 100}
CLUSTER_DOWN_S_PER_NODE = 15
REGISTER_S = 3  # the devices SIPp started and its 600 extensions registered
STEP_OVERHEAD_S = 1.5  # SIPp start and exit, counters, the park emptied
JCMD_S = 0.8
# the journal's bound per node: park-events memory size in wildfly-standalone/configure-callpark.cli
JOURNAL_EVENTS = 20000
JOURNAL_FILL_RATE = 150
HISTOGRAM_AFTER_S = 40  # live-object histogram this long after the last park: its transactions are over
STARTED = []  # processes this script started (stopped at exit by pid)


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


# ---------------------------------------------------------------- settings of a run

@dataclass
class Config:
    quick: bool
    runs: int
    step_s: int
    ladder: list
    min_success_pct: float
    warmup_s: int
    warmup_jit: bool  # after the climb, warm up until the JIT is quiet (not with --quick)
    latency_rate: int
    latency_calls: int
    capacity_target: int
    capacity_steps: list
    capacity_window_s: float
    capacity_settle_s: float
    heap_gcs: int
    rtp_sample: int
    replication_calls: int
    calls_per_extension: int = 0


def config_from(args):
    quick = args.quick
    target = args.capacity_target or (300 if quick else 3000)
    cfg = Config(
        quick=quick,
        runs=args.runs if args.runs is not None else 1 if quick else 3,
        step_s=2 if quick else 10,
        ladder=[int(r) for r in args.ladder.split(",")] if args.ladder else (QUICK_LADDER if quick else LADDER),
        min_success_pct=args.min_success,
        warmup_s=args.warmup if args.warmup is not None else 10 if quick else 30,
        warmup_jit=not quick,
        latency_rate=100,  # the target: park-to-NOTIFY p99 at 100 park cycles/s
        latency_calls=200 if quick else 3000,
        capacity_target=target,
        capacity_steps=capacity_step_list(target, 1 if quick else max(1, math.ceil(target / 500))),
        capacity_window_s=2 if quick else 5,
        capacity_settle_s=1 if quick else 2,
        heap_gcs=1 if quick else 3,
        rtp_sample=args.rtp_sample,
        replication_calls=10 if quick else 100)
    cfg.calls_per_extension = calls_per_extension_for(cfg)
    return cfg


def capacity_step_list(target, count):
    """count evenly spaced parked-call counts ending at target."""
    return sorted({max(1, round(target * i / count)) for i in range(1, count + 1)})


def calls_per_extension_for(cfg):
    """The tenant's callsPerExtension: twice the most calls any phase keeps waiting at one extension at once (the
    calls are spread round robin over the extensions), at least 10 (the node default), at most 100 (the API's)."""
    top = max(cfg.ladder)
    waiting = max(top * (PARK_HOLD_MS / 1000 + 0.5), top * (RETRIEVE_OFFSET_S + 0.5), cfg.capacity_target)
    needed = 2 * math.ceil(waiting / EXTENSIONS)
    if needed > 100:
        log("warning: the load needs %d calls per extension, the API allows 100: parks past that are refused"
            % needed)
    return max(10, min(100, needed))


# ---------------------------------------------------------------- figures (pure, self-checkable)

def percentile(values, p):
    """The p-th percentile, linear between the closest ranks; nan for no values."""
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def latency_summary(values_ms):
    return {"count": len(values_ms), "p50": percentile(values_ms, 50), "p90": percentile(values_ms, 90),
            "p99": percentile(values_ms, 99)}


def median_of(values):
    """{"median": m, "values": [...]} of the runs' figures (runs without the figure are left out)."""
    present = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return {"median": statistics.median(present) if present else None, "values": list(values)}


def success_pct(ok, planned):
    return 100.0 * max(0, ok) / planned if planned else float("nan")


def parse_udp_counters(snmp_text):
    """The Udp: counters of a /proc/net/snmp text: a header line of names and a line of values, both starting
    'Udp:' (UdpLite: lines are another protocol)."""
    rows = [line.split() for line in snmp_text.splitlines() if line.startswith("Udp:")]
    if len(rows) != 2:
        raise ValueError("expected two Udp: lines, got %d" % len(rows))
    names, values = rows[0][1:], rows[1][1:]
    return {name: int(value) for name, value in zip(names, values)}


def read_udp_counters():
    with open("/proc/net/snmp") as f:
        counters = parse_udp_counters(f.read())
    counters["socket_drops"] = socket_drops()
    return counters


def socket_drops():
    """{local UDP port: datagrams the kernel dropped at that socket} from /proc/net/udp (its last column)."""
    drops = {}
    with open("/proc/net/udp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            port = int(fields[1].split(":")[1], 16)
            drops[port] = drops.get(port, 0) + int(fields[-1])
    return drops




def udp_drops(before, after):
    """Datagrams the kernel dropped between two readings: RcvbufErrors (a socket's receive buffer was full) and
    InErrors (every receive error, RcvbufErrors included)."""
    def at(ports):
        return sum(after["socket_drops"].get(p, 0) - before["socket_drops"].get(p, 0) for p in ports
                   if p in after["socket_drops"])

    return {"rcvbuf_errors": after.get("RcvbufErrors", 0) - before.get("RcvbufErrors", 0),
            "in_errors": after.get("InErrors", 0) - before.get("InErrors", 0),
            "node_sip_drops": at([SIP_PORT_BASE + k for k in range(4)]), "kamailio_drops": at([KAMAILIO_PORT]),
            "sink_drops": at([SINK_PORT])}


class UdpDrops:
    """with UdpDrops() as drops: ...  then drops.figures: the machine's UDP drops during the block."""

    def __enter__(self):
        self.before = read_udp_counters()
        return self

    def __exit__(self, *_):
        self.figures = udp_drops(self.before, read_udp_counters())
        return False


def stamp(parts):
    """Seconds of a 'seconds microseconds' pair SIPp logs (gettimeofday)."""
    return float(parts[0]) + float(parts[1]) / 1e6


def sipp_call_stamps(log_lines):
    """{call number: (INVITE sent, 200 received)} from the 'INVITE n s us' / 'OK n s us' lines of our scenarios."""
    invites, oks = {}, {}
    for line in log_lines:
        parts = line.split()
        if len(parts) == 4 and parts[0] in ("INVITE", "OK"):
            (invites if parts[0] == "INVITE" else oks)[parts[1]] = stamp(parts[2:])
    return {n: (t, oks.get(n)) for n, t in invites.items()}


def invite_to_200_ms(log_lines):
    """Milliseconds from each authenticated INVITE to its 200, of the calls that got one."""
    return [(ok - sent) * 1000 for sent, ok in sipp_call_stamps(log_lines).values() if ok is not None]


def slope(points):
    """Least-squares slope of y over x: heap bytes per parked call."""
    n = len(points)
    if n < 2:
        return float("nan")
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)


def epoch(iso):
    """Seconds since the epoch of an ISO-8601 UTC instant as the API writes it."""
    from datetime import datetime
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def extension(i):
    return str(FIRST_EXT + i % EXTENSIONS)


def park_rows(count, start=0):
    """Injection rows of REFER-style parks: '*68<ext>;<parker>', the parker being the extension's own user (a phone
    parking its call at its own extension), round robin over the extensions from call number start."""
    return ["*68%s;%s" % (extension(i), extension(i)) for i in range(start, start + count)]


def retrieve_rows(count):
    return ["*88" + extension(i) for i in range(count)]


# ---------------------------------------------------------------- cluster

def launcher_env():
    env = dict(os.environ)
    env.update({
        "CALLPARK_VAR": VAR,
        "CALLPARK_KAMAILIO_PORT": str(KAMAILIO_PORT),
        "CALLPARK_SIP_PORT_BASE": str(SIP_PORT_BASE),
        "CALLPARK_PORT_OFFSET": str(PORT_OFFSET),
        "CALLPARK_CLUSTER": "bench",
        "CALLPARK_RTP_PORTS": "20000-39999",
        "CALLPARK_HEAP": os.environ.get("CALLPARK_HEAP", "1g"),
        "CALLPARK_API_KEY": API_KEY,
        # the bench's webhook receiver listens on 127.0.0.1 over plain http: allowed explicitly
        "CALLPARK_WEBHOOK_ALLOW": "127.0.0.1",
        "CALLPARK_WEBHOOK_ALLOW_HTTP": "127.0.0.1",
        "KAM_DS_PING_INTERVAL": "2",
        # every phone of the bench is one SIPp on 127.0.0.1: the per-source flood limit would drop it
        "KAM_FLOOD_REQS": "1000000",
        # the bench measures how far a node goes: no limit of the defaults stops it first
        "CALLPARK_MEDIA_CAPACITY": "100000",
        "CALLPARK_PARK_LIMIT_USER": "100000",
        "CALLPARK_PARK_LIMIT_TENANT": "100000",
        # its SIPp callers send no RTP and their scenarios expect no in-dialog OPTIONS
        "CALLPARK_MEDIA_SILENCE": "0",
    })
    return env


def callpark(*args, timeout=600):
    out = subprocess.run([os.path.join(ROOT, "callpark"), *args], env=launcher_env(), cwd=ROOT,
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


def cluster_split(nodes):
    """The nodes that do not list every node among their cluster's members (/status), with what they list; empty
    while the cluster is whole. Split nodes each serve only their own calls: their figures are not two nodes'."""
    split = {}
    if nodes < 2:
        return split
    for node in range(1, nodes + 1):
        try:
            members = status(node).get("members", [])
        except (OSError, ValueError):
            members = []
        if len(members) < nodes:
            split["node%d" % node] = members
    return split


def split_text(split):
    """'node1 lists ['node1']; node2 lists ['node2']': who sees whom in a split cluster."""
    return "; ".join("%s lists %s" % (node, members) for node, members in sorted(split.items()))


def jgroups_port(node):
    return 7600 + PORT_OFFSET + (node - 1) * 100


def cluster_bytes(nodes):
    """Bytes the nodes sent each other so far over their JGroups TCP connections, as the kernel counts them
    (tcp_info bytes_received of each established socket with a node's JGroups port at one end: both ends of a
    connection are on this machine, so every byte is received once)."""
    if nodes < 2:
        return 0
    ports = " or ".join("sport = :%d or dport = :%d" % (jgroups_port(k), jgroups_port(k)) for k in
                        range(1, nodes + 1))
    out = subprocess.run(["ss", "-tinH", "state", "established", "( %s )" % ports], stdout=subprocess.PIPE,
                         text=True, timeout=10).stdout
    return sum(int(m) for m in re.findall(r"bytes_received:(\d+)", out))


def stat_ticks(stat_text):
    """User + system clock ticks of a /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat text."""
    fields = stat_text.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def cpu_seconds(pids):
    """CPU time (user + system) the processes and their children so far waited for used, in seconds."""
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                total += stat_ticks(f.read())
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def compiler_seconds(pid):
    """CPU time the JIT's compiler threads of a JVM used so far, in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return 0.0
    for task in tasks:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, task)) as f:
                text = f.read()
        except OSError:
            continue
        if "CompilerThre" in text[text.index("(") + 1:text.rindex(")")]:
            total += stat_ticks(text)
    return total / tick


def kamailio_pids():
    """Kamailio's main process and its children (the workers)."""
    try:
        with open(os.path.join(VAR, "kamailio", "kamailio.pid")) as f:
            main = int(f.read().strip())
    except (OSError, ValueError):
        return []
    pids = [main]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == main:
                        pids.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return pids


def node_counts(nodes):
    """What the nodes did so far, summed over them, from /status: per cache (reads, writes), and the SIP messages
    received and sent and the work handed to calls' lanes; and the bytes they sent each other."""
    totals = {"caches": {}, "sipReceived": 0, "sipSent": 0, "laneTasks": 0, "clusterBytes": cluster_bytes(nodes),
              "nodeCpu": cpu_seconds([node_pid(k) for k in range(1, nodes + 1)]),
              "kamailioCpu": cpu_seconds(kamailio_pids())}
    for node in range(1, nodes + 1):
        st = status(node)
        for cache, counts in st.get("caches", {}).items():
            reads, writes = totals["caches"].get(cache, (0, 0))
            totals["caches"][cache] = (reads + counts["reads"], writes + counts["writes"])
        for counter in ("sipReceived", "sipSent", "laneTasks"):
            totals[counter] += st.get(counter, 0)
    return totals


def operation_cost(before, after, operations):
    """Per operation between two node_counts(): cache reads and writes (by cache and in total), SIP messages at
    the nodes, lane hops."""
    if operations <= 0:
        return {}
    per_cache = {}
    for cache, (reads, writes) in after["caches"].items():
        r0, w0 = before["caches"].get(cache, (0, 0))
        if writes - w0 or reads - r0:
            per_cache[cache] = {"reads": round((reads - r0) / operations, 2),
                                "writes": round((writes - w0) / operations, 2)}

    def per_op(counter):
        return round((after[counter] - before[counter]) / operations, 2)

    return {"per_cache": per_cache,
            "writes": round(sum(c["writes"] for c in per_cache.values()), 2),
            "reads": round(sum(c["reads"] for c in per_cache.values()), 2),
            "sip_received": per_op("sipReceived"), "sip_sent": per_op("sipSent"), "lane_tasks": per_op("laneTasks"),
            "cluster_bytes": per_op("clusterBytes"),
            "node_cpu_ms": round(1000 * (after["nodeCpu"] - before["nodeCpu"]) / operations, 3),
            "kamailio_cpu_ms": round(1000 * (after["kamailioCpu"] - before["kamailioCpu"]) / operations, 3)}


def parked_count(node=1):
    """Parked calls in the whole cluster, as the node counts them."""
    return status(node)["parkedCalls"]


def await_parked(node, count, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if parked_count(node) == count:
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def node_pid(node):
    with open(os.path.join(VAR, "node%d" % node, "wildfly.pid")) as f:
        return int(f.read().strip())


def cluster_up(nodes):
    log("starting Kamailio + %d node(s) (./callpark up --nodes %d --fresh, var %s)" % (nodes, nodes, VAR))
    callpark("up", "--nodes", str(nodes), "--fresh")
    users = [("bench", PASSWORD), ("uas", PASSWORD)] + [(extension(i), PASSWORD) for i in range(EXTENSIONS)]
    db = os.path.join(VAR, "kamailio", "callpark.db")
    existing = subprocess.run(["sqlite3", db, "select count(*) from subscriber where domain='%s'" % DOMAIN],
                              stdout=subprocess.PIPE, text=True).stdout.strip()
    if existing != str(len(users)):
        log("adding %d subscribers" % len(users))
        for user, pw in users:
            callpark("subscriber", "add", "%s@%s" % (user, DOMAIN), pw)


def cluster_down():
    log("stopping (./callpark down)")
    callpark("down")


# ---------------------------------------------------------------- REST API

def api(method, path, body=None, node=1, expect=(200,)):
    """One request to /callpark/api<path> of a node with the operator key; the answer's JSON (None when empty)."""
    conn = http.client.HTTPConnection("127.0.0.1", http_port(node), timeout=10)
    try:
        return api_on(conn, method, path, body, expect)
    finally:
        conn.close()


def api_on(conn, method, path, body=None, expect=(200,)):
    headers = {"Authorization": "Bearer " + API_KEY}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body)
    conn.request(method, "/callpark/api" + path, body=data, headers=headers)
    response = conn.getresponse()
    text = response.read()
    if response.status not in expect:
        raise RuntimeError("%s %s answered %d: %s" % (method, path, response.status, text[:500]))
    return json.loads(text) if text else None


def tenant_path(rest=""):
    return "/tenants/%s%s" % (DOMAIN, rest)


def configure_tenant(calls_per_extension, webhook_url):
    """The bench tenant as a real one is set up: settings (recall after 900 s: no recall fires during a phase; room
    for the load at each extension), a park group, a webhook (docs/openapi.yaml)."""
    settings = {"recallTime": RECALL_TIME_S, "callsPerExtension": calls_per_extension}
    api("PUT", tenant_path(), settings, expect=(200, 201))
    groups = api("GET", tenant_path("/park-groups"))
    if not any(g.get("name") == PARK_GROUP for g in groups.get("groups", [])):
        members = [extension(i) for i in range(PARK_GROUP_MEMBERS)]
        api("POST", tenant_path("/park-groups"), {"name": PARK_GROUP, "members": members}, expect=(201,))
    hooks = api("GET", tenant_path("/webhooks"))["webhooks"]
    if not any(h["url"] == webhook_url for h in hooks):
        api("POST", tenant_path("/webhooks"), {"url": webhook_url}, expect=(201,))
    log("tenant %s: recallTime %d, callsPerExtension %d, park group %s (%d members), webhook %s"
        % (DOMAIN, RECALL_TIME_S, calls_per_extension, PARK_GROUP, PARK_GROUP_MEMBERS, webhook_url))


def hang_up_parked(workers=4):
    """Hangs up every call the tenant has parked (DELETE .../parked/{id}: the caller gets a BYE); the number hung
    up. Calls being retrieved (409) or gone meanwhile (404) are left alone."""
    calls = api("GET", tenant_path("/parked"))["calls"]
    local = threading.local()

    def hang_up(park_id):
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", http_port(1), timeout=10)
        try:
            api_on(local.conn, "DELETE", tenant_path("/parked/" + park_id), expect=(204, 404, 409, 503))
            return 1
        except (OSError, http.client.HTTPException, RuntimeError):
            local.conn.close()
            del local.conn
            return 0

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return sum(pool.map(hang_up, [c["parkId"] for c in calls]))


# ---------------------------------------------------------------- webhook receiver

class WebhookReceiver:
    """The tenant's webhook: an HTTP server on 127.0.0.1 answering every POST 204 and counting the deliveries by
    event type (Callpark-Event) and the retries (Callpark-Delivery-Attempt > 1)."""

    def __init__(self, port):
        self.lock = threading.Lock()
        self.by_type = collections.Counter()
        self.retries = 0
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), self.handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="webhooks", daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d/bench-events" % self.server.server_address[1]

    def deliveries(self):
        with self.lock:
            return sum(self.by_type.values())

    def delivered(self, event_type, attempt):
        with self.lock:
            self.by_type[event_type or "?"] += 1
            if attempt > 1:
                self.retries += 1

    def figures(self):
        with self.lock:
            return {"deliveries": sum(self.by_type.values()), "retries": self.retries, "by_type": dict(self.by_type)}

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)

    def handler_class(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: the node's HTTP client reuses its connections

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                attempt = int(self.headers.get("Callpark-Delivery-Attempt") or 1)
                receiver.delivered(self.headers.get("Callpark-Event"), attempt)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_):
                pass

        return Handler


# ---------------------------------------------------------------- SIPp

class Sipp:
    """One SIPp process, started by this script and stopped by its pid."""

    count = 0
    live = []

    def __init__(self, name, args, logs=False, port=None):
        Sipp.count += 1
        self.tag = "s%dn" % Sipp.count  # display names <tag><call number>: unique over the whole run
        self.port = port or free_sipp_port()
        self.dir = os.path.join(VAR, "sipp", "%03d-%s" % (Sipp.count, name))
        os.makedirs(self.dir, exist_ok=True)
        self.stat = os.path.join(self.dir, "stat.csv")
        self.logfile = os.path.join(self.dir, "calls.log")
        cmd = ["sipp", "127.0.0.1:%d" % KAMAILIO_PORT, "-i", "127.0.0.1", "-p", str(self.port), "-nostdin",
               "-key", "domain", DOMAIN, "-key", "caller", "bench", "-key", "rtp_port", str(SINK_PORT),
               "-key", "tag", self.tag,
               "-au", "bench", "-ap", PASSWORD, "-trace_stat", "-stf", self.stat, "-fd", "1",
               "-trace_err", "-error_file", os.path.join(self.dir, "errors.log"),
               "-max_recv_loops", "10000", "-max_sched_loops", "10000", "-buff_size", str(4 << 20)]
        if logs:
            cmd += ["-trace_logs", "-log_file", self.logfile]
        cmd += args
        self.started = time.time()
        self.elapsed = None
        with open(os.path.join(self.dir, "stderr.log"), "w") as stderr:
            self.proc = subprocess.Popen(cmd, cwd=self.dir, stdout=subprocess.DEVNULL, stderr=stderr,
                                         start_new_session=True)
        STARTED.append(self.proc)
        Sipp.live.append(self)

    def running(self):
        return self.proc.poll() is None

    def wait(self, timeout):
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
        self.elapsed = time.time() - self.started
        return self.result()

    def stop(self):
        if self.running():
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def result(self):
        """{"ok": successful calls, "failed": failed calls} from SIPp's last statistics line (-1: none written)."""
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

    def log_size(self):
        try:
            return os.path.getsize(self.logfile)
        except OSError:
            return 0

    def log_lines(self, since=0):
        try:
            with open(self.logfile, errors="replace") as f:
                f.seek(since)
                return f.read().splitlines()
        except OSError:
            return []


def free_sipp_port():
    """The next port of base+1 .. base+SIPP_PORTS-1 no running SIPp of ours holds (cycling)."""
    Sipp.live = [s for s in Sipp.live if s.running()]
    taken = {s.port for s in Sipp.live}
    for i in range(SIPP_PORTS - 1):
        port = SIPP_PORT_BASE + 1 + (Sipp.count + i) % (SIPP_PORTS - 1)
        if port not in taken:
            return port
    raise RuntimeError("every SIPp port is taken")


def injection(name, lines):
    path = os.path.join(VAR, "sipp", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("SEQUENTIAL\n")
        f.write("\n".join(lines) + "\n")
    return path


def start_devices(logs=False):
    """A SIPp in server mode plays one device of every extension (and gets their park-info NOTIFYs). It always
    has the same port, so registering it again replaces the contacts instead of adding some."""
    devices = Sipp("devices", ["-sf", os.path.join(SCENARIOS, "devices.xml")], logs=logs, port=SIPP_PORT_BASE)
    register(devices.port, [extension(i) for i in range(EXTENSIONS)])
    return devices


def register(contact_port, users):
    """Registers each user (password PASSWORD) with a contact at 127.0.0.1:contact_port (digest, qop=auth)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(5)
    local = sock.getsockname()[1]
    for n, user in enumerate(users):
        call_id = "reg-%d-%d-%s-%d" % (os.getpid(), contact_port, user, int(time.time()))

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


def run_calls(name, rows, rate, hold_ms, scenario, logs=False, limit=None):
    """Starts a SIPp placing one call per injection row at rate calls/s, each held hold_ms (the scenario's pause)."""
    inf = injection(name + ".csv", rows)
    n = len(rows)
    args = ["-sf", os.path.join(SCENARIOS, scenario), "-inf", inf, "-m", str(n), "-r", str(rate), "-rp", "1000",
            "-d", str(hold_ms), "-l", str(limit or max(100, int(rate * (hold_ms / 1000 + 10))))]
    return Sipp(name, args, logs=logs)


def step_timeout(n, rate, hold_ms):
    """How long a step's SIPp may run before it is stopped: its calls, their hold, and 64*T1 for the last ones."""
    return n / rate * 1.5 + hold_ms / 1000 + 35


def placed_in_time(sipp, n, rate, hold_ms):
    return sipp.elapsed <= n / rate * 1.1 + hold_ms / 1000 + 2.5


# ---------------------------------------------------------------- the cluster a phase runs on

class Cluster:
    """Kamailio and N app nodes of ./callpark up on the bench's ports, the bench tenant configured, one SIPp playing
    a device of every extension, the RTP sink every parked caller's SDP points at; warmed up once started."""

    def __init__(self, nodes, cfg, webhooks):
        self.nodes, self.cfg, self.webhooks = nodes, cfg, webhooks
        self.devices = self.sink = None
        self.registered_at = 0
        self.device_logs = False
        self.restarts = 0

    def start(self):
        cluster_up(self.nodes)
        configure_tenant(self.cfg.calls_per_extension, self.webhooks.url)
        self.sink = Sink()
        self.start_devices(logs=False)
        warm_up(self)

    def stop(self):
        if self.devices:
            self.devices.stop()
        if self.sink:
            self.sink.stop()
        self.devices = self.sink = None
        cluster_down()

    def restart(self):
        self.restarts += 1
        if self.restarts > MAX_RESTARTS:
            raise RuntimeError("the %d-node cluster did not empty its park after %d restarts" % (self.nodes,
                                                                                              MAX_RESTARTS))
        log("restarting the cluster")
        self.stop()
        self.start()

    def start_devices(self, logs):
        if self.devices:
            self.devices.stop()
        self.devices = start_devices(logs=logs)
        self.device_logs, self.registered_at = logs, time.time()

    def log_devices(self, logs):
        """Restarts the devices SIPp with or without its log of arrived NOTIFYs (the latency phases read it)."""
        if logs != self.device_logs:
            self.start_devices(logs)

    def keep_registered(self):
        if time.time() - self.registered_at > REGISTRATION_REFRESH_S:
            self.start_devices(self.device_logs)

    def empty_park(self, wait_s=10):
        """Waits for the park to empty; hangs up what is left through the API; restarts the cluster if that fails
        too (a phase always starts with nobody parked)."""
        if await_parked(1, 0, timeout=wait_s):
            return
        left = parked_count()
        hung_up = hang_up_parked()
        log("%d call(s) still parked after %d s: hung up %d through the API" % (left, wait_s, hung_up))
        if not await_parked(1, 0, timeout=45):
            self.restart()


def warm_up(cluster):
    """Retrieve cycles, not measured, the same rule with one or two nodes: freshly started JVMs spend their first
    minutes compiling, which is not what a call costs. The rate climbs to WARMUP_RATE/s in thirds of --warmup seconds
    (a quarter, a half, all of it), as a load balancer's slow start would: two cold nodes given 40 cycles/s at once
    parked 20/s in their first seconds, and the backlog and its retransmissions took a minute to drain. Then rounds
    of WARMUP_ROUND_S at WARMUP_RATE/s go on until no node's JIT used more than WARMUP_JIT_QUIET of a core in a round
    (at most WARMUP_MAX_ROUNDS): after a fixed 30 s, two nodes still spent 30% of their CPU in C2 during the ladder,
    one node 9%. Calls it leaves parked are hung up."""
    seconds = cluster.cfg.warmup_s
    if seconds <= 0:
        return
    third = max(1, seconds // 3)
    stages = [(max(1, WARMUP_RATE // 4), third), (max(1, WARMUP_RATE // 2), third),
              (WARMUP_RATE, max(1, seconds - 2 * third))]
    log("warm-up: %d s of retrieve cycles at %s/s, then rounds of %d s at %d/s until the JIT is quiet (not measured)"
        % (seconds, ", ".join(str(rate) for rate, _ in stages), WARMUP_ROUND_S, WARMUP_RATE))
    pids = [node_pid(node) for node in range(1, cluster.nodes + 1)]
    ok = total = 0

    def cycles(rate, stage_s):
        nonlocal ok, total
        n = rate * stage_s
        parker = run_calls("warmup-park", park_rows(n), rate, 0, "park_until_retrieved.xml", limit=n)
        time.sleep(RETRIEVE_OFFSET_S)
        retriever = run_calls("warmup-retrieve", retrieve_rows(n), rate, TALK_MS, "call.xml")
        rr = retriever.wait(step_timeout(n, rate, TALK_MS))
        rp = parker.wait(30)
        ok += min(rr["ok"], rp["ok"])
        total += n

    for rate, stage_s in stages:
        cycles(rate, stage_s)
    jit = []
    for _ in range(WARMUP_MAX_ROUNDS if cluster.cfg.warmup_jit else 0):
        before, started = [compiler_seconds(pid) for pid in pids], time.monotonic()
        cycles(WARMUP_RATE, WARMUP_ROUND_S)
        elapsed = time.monotonic() - started
        jit = [(compiler_seconds(pid) - b) / elapsed for pid, b in zip(pids, before)]
        if max(jit) <= WARMUP_JIT_QUIET:
            break
    split = cluster_split(cluster.nodes)
    log("warm-up: %d of %d retrieve cycles succeeded%s%s"
        % (ok, total, "; JIT in the last round %s of a core" % ", ".join("%.2f" % j for j in jit) if jit else "",
           "; the cluster is split: " + split_text(split) if split else ""))
    cluster.empty_park()


# ---------------------------------------------------------------- ladders

def ladder_run(label, cluster, step):
    """Climbs the ladder with step(rate, calls) -> step figures; stops at the first failing rate."""
    cfg = cluster.cfg
    best, failing, steps = 0, None, []
    for rate in cfg.ladder:
        n = rate * cfg.step_s
        counts_before = node_counts(cluster.nodes)
        figures = step(rate, n)
        figures["cost_per_op"] = operation_cost(counts_before, node_counts(cluster.nodes), figures["ok"])
        figures["split"] = cluster_split(cluster.nodes)
        # a step passes only if no node's SIP socket dropped a datagram and the nodes were still one cluster
        figures["pass"] = (figures["success_pct"] >= cfg.min_success_pct and figures["placed_in_time"]
                           and figures.get("node_sip_drops", 0) == 0 and not figures["split"])
        if figures["split"]:
            log("%s %d/s: the cluster is split (%s)" % (label, rate, split_text(figures["split"])))
        steps.append(figures)
        log("%s %d/s x %d: %s, %.2f%% ok, key latency p50 %.1f / p90 %.1f / p99 %.1f ms, UDP drops %d rcvbuf %d "
            "in (node SIP sockets %d, Kamailio %d, RTP sink %d), %.1f s"
            % (label, rate, n, "pass" if figures["pass"] else "FAIL", figures["success_pct"],
               figures["latency_ms"]["p50"], figures["latency_ms"]["p90"], figures["latency_ms"]["p99"],
               figures["rcvbuf_errors"], figures["in_errors"], figures.get("node_sip_drops", 0),
               figures.get("kamailio_drops", 0), figures.get("sink_drops", 0), figures["elapsed_s"]))
        cost = figures["cost_per_op"]
        if cost:
            log("%s %d/s: per operation %.1f cache writes, %.1f reads (%s); SIP messages %.1f in, %.1f out; %.1f lane "
                "hops; %.0f bytes between nodes; CPU %.2f ms in the nodes, %.2f ms in Kamailio"
                % (label, rate, cost["writes"], cost["reads"],
                   ", ".join("%s %.1f" % (c, v["writes"]) for c, v in sorted(cost["per_cache"].items())
                             if v["writes"]),
                   cost["sip_received"], cost["sip_sent"], cost["lane_tasks"], cost["cluster_bytes"],
                   cost["node_cpu_ms"], cost["kamailio_cpu_ms"]))
        cluster.empty_park()
        if not figures["pass"]:
            failing = rate
            break
        best = rate
    return {"best_rate": best, "first_failing": failing, "steps": steps}


def call_step_figures(rate, n, result, sipp, hold_ms, drops):
    """A step's figures from the SIPp whose calls are the measured operations."""
    return {"rate": rate, "calls": n, "ok": result["ok"], "failed": result["failed"],
            "success_pct": success_pct(result["ok"], n),
            "latency_ms": latency_summary(invite_to_200_ms(sipp.log_lines())),
            "placed_in_time": placed_in_time(sipp, n, rate, hold_ms), "elapsed_s": sipp.elapsed, **drops}


def single_sipp_step(name, rows_for, scenario, hold_ms):
    """A step of calls from one SIPp (plain calls, park cycles): INVITE to 200 is the key latency."""

    def step(rate, n):
        with UdpDrops() as drops:
            sipp = run_calls("%s-%d" % (name, rate), rows_for(n), rate, hold_ms, scenario, logs=True)
            result = sipp.wait(step_timeout(n, rate, hold_ms))
        return call_step_figures(rate, n, result, sipp, hold_ms, drops.figures)

    return step


def reference_run(cluster):
    uas = Sipp("uas", ["-sf", os.path.join(SCENARIOS, "uas.xml")], port=UAS_PORT)
    try:
        register(uas.port, ["uas"])
        step = single_sipp_step("plain", lambda n: ["uas"] * n, "call.xml", PARK_HOLD_MS)
        return ladder_run("plain calls", cluster, step)
    finally:
        uas.stop()


def park_cycles_run(cluster):
    nodes = cluster.nodes
    step = single_sipp_step("park-cycles%d" % nodes, park_rows, "park.xml", PARK_HOLD_MS)
    return ladder_run("park cycles (%d node%s)" % (nodes, "s" if nodes > 1 else ""), cluster, step)


def retrieve_cycles_run(cluster):
    nodes = cluster.nodes

    def step(rate, n):
        with UdpDrops() as drops:
            parker = run_calls("retrieve-cycles%d-park-%d" % (nodes, rate), park_rows(n), rate, 0,
                               "park_until_retrieved.xml", limit=n)
            time.sleep(RETRIEVE_OFFSET_S)
            retriever = run_calls("retrieve-cycles%d-retrieve-%d" % (nodes, rate), retrieve_rows(n), rate, TALK_MS,
                                  "call.xml", logs=True)
            rr = retriever.wait(step_timeout(n, rate, TALK_MS))
            rp = parker.wait(30)
        # a cycle succeeded when both its retrieve and its parked caller's call did
        both = {"ok": min(rr["ok"], rp["ok"]), "failed": max(rr["failed"], 0) + max(rp["failed"], 0)}
        figures = call_step_figures(rate, n, both, retriever, TALK_MS, drops.figures)
        figures.update({"retrieves_ok": rr["ok"], "retrieves_failed": rr["failed"], "parks_ok": rp["ok"],
                        "parks_failed": rp["failed"]})
        return figures

    return ladder_run("retrieve cycles (%d node%s)" % (nodes, "s" if nodes > 1 else ""), cluster, step)


# ---------------------------------------------------------------- latency

def latency_run(cluster):
    """Park-to-NOTIFY at the devices: from the transferee's authenticated INVITE to the parked NOTIFY's arrival."""
    cfg = cluster.cfg
    cluster.log_devices(True)
    devices, since = cluster.devices, cluster.devices.log_size()
    rate, count = cfg.latency_rate, cfg.latency_calls
    with UdpDrops() as drops:
        sipp = run_calls("latency%d" % cluster.nodes, park_rows(count), rate, LATENCY_HOLD_MS, "park.xml",
                         logs=True)
        r = sipp.wait(step_timeout(count, rate, LATENCY_HOLD_MS))
    calls = {sipp.tag + n: stamps for n, stamps in sipp_call_stamps(sipp.log_lines()).items()}
    notified = parked_notifies(devices, since, set(calls), wait_s=10)
    to_notify = [(notified[c] - sent) * 1000 for c, (sent, _) in calls.items() if c in notified]
    to_ok = [(ok - sent) * 1000 for sent, ok in calls.values() if ok is not None]
    return {"calls": count, "ok": r["ok"], "failed": r["failed"], "success_pct": success_pct(r["ok"], count),
            "notified": len(to_notify), "notify_ms": latency_summary(to_notify),
            "invite_to_200_ms": latency_summary(to_ok), **drops.figures}


def parked_notifies(devices, since, wanted, wait_s):
    """{display name: arrival} of the 'parked' NOTIFYs the devices logged after byte since, for the calls wanted
    (polled up to wait_s: SIPp writes its log in chunks)."""
    notified = {}
    deadline = time.time() + wait_s
    while True:
        for line in devices.log_lines(since):
            parts = line.split()
            if len(parts) >= 5 and parts[0] == "NOTIFY" and parts[1] == "parked" and parts[2] in wanted:
                notified.setdefault(parts[2], stamp(parts[3:5]))
        if len(notified) >= len(wanted) or time.time() >= deadline:
            return notified
        time.sleep(0.5)


# ---------------------------------------------------------------- capacity

def jcmd_of(pid):
    """The jcmd of the JDK the process runs on (the nodes run on a JDK 25, maybe not the java on PATH)."""
    return os.path.join(os.path.dirname(os.path.realpath(f"/proc/{pid}/exe")), "jcmd")


def class_histogram(pid):
    """Live objects by class ({class: (instances, bytes)}): jcmd GC.class_histogram runs a full GC first."""
    out = subprocess.run([jcmd_of(pid), str(pid), "GC.class_histogram"], stdout=subprocess.PIPE, text=True,
                         check=True, timeout=120).stdout
    return {m.group(3): (int(m.group(1)), int(m.group(2)))
            for m in re.finditer(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", out, re.M)}


def histogram_per_call(before, after, calls, top=12):
    """What the parked calls hold, per call: live bytes over the two histograms, and the classes that hold most."""
    delta = {cls: (after[cls][0] - before.get(cls, (0, 0))[0], after[cls][1] - before.get(cls, (0, 0))[1])
             for cls in after}
    total = sum(after[c][1] for c in after) - sum(before[c][1] for c in before)
    largest = sorted(delta.items(), key=lambda kv: -kv[1][1])[:top]
    with open(os.path.join(VAR, "histogram-per-call.txt"), "w") as out:  # every class, for a closer look
        for cls, (n, b) in sorted(delta.items(), key=lambda kv: -kv[1][1]):
            out.write("%10.2f %10.1f %s\n" % (n / calls, b / calls, cls))
    return {"bytes_per_call": total / calls,
            "classes": [{"class": cls, "instances_per_call": round(n / calls, 2),
                         "bytes_per_call": round(b / calls, 1)} for cls, (n, b) in largest]}


def heap_used_bytes(pid, gcs):
    """Heap in use after a full GC (the least of gcs GCs: what is live, without floating garbage)."""
    jcmd = jcmd_of(pid)
    used = []
    for _ in range(gcs):
        subprocess.run([jcmd, str(pid), "GC.run"], stdout=subprocess.DEVNULL, check=True, timeout=60)
        out = subprocess.run([jcmd, str(pid), "GC.heap_info"], stdout=subprocess.PIPE, text=True, check=True,
                             timeout=60).stdout
        used.append(int(re.search(r"used (\d+)K", out).group(1)) * 1024)
    return min(used)


class Sink:
    """bench/RtpSink.java: counts the music of every parked call and records the gaps of a sample of streams."""

    def __init__(self):
        java = shutil.which("java")
        self.proc = subprocess.Popen([java, os.path.join(ROOT, "bench", "RtpSink.java"), "127.0.0.1",
                                      str(SINK_PORT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        STARTED.append(self.proc)
        assert self.proc.stdout.readline().strip() == "ready"

    def measure(self, seconds, sample):
        """{"streams", "complete", "packets", "pps", "sampled", "gap_p99_ms", "gap_worst_p99_ms", "gap_max_ms"}."""
        self.proc.stdin.write("measure %s %d\n" % (seconds, sample))
        self.proc.stdin.flush()
        return {k: float(v) for k, v in (kv.split("=") for kv in self.proc.stdout.readline().split())}

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def capacity_run(cluster):
    """Parks calls in steps up to the target and holds them (recall off: recallTime 900 s); at each step the
    node's RTP rate, the sink's complete streams, the inter-packet gaps of a sample of streams, the UDP drops, the
    heap after a full GC. The calls are hung up through the API at the end."""
    cfg = cluster.cfg
    pid = node_pid(1)
    fill_journal()
    cluster.empty_park()  # a fill's cycle that failed can leave its caller parked, counted against the steps
    # the baseline, as the figure with calls parked below, is taken once the transactions, retransmission timers and
    # webhook retries of the calls before (the warm-up's, the fill's) are over: else their state, let go while calls
    # are added, is counted against the calls (stop 15 measured a negative slope so)
    log("capacity: %d s for the calls before to leave no state behind, then the baseline" % HISTOGRAM_AFTER_S)
    time.sleep(HISTOGRAM_AFTER_S)
    base = heap_used_bytes(pid, cfg.heap_gcs)
    base_histogram = class_histogram(pid)
    samples, steps, held = [(0, base)], [], []
    most_held, parked, first_park, last_parked_at = 0, 0, time.time(), None
    try:
        for target in cfg.capacity_steps:
            if time.time() - first_park > RECALL_TIME_S - 120:
                log("capacity: stopping before the first calls' recall (%d s) would fire" % RECALL_TIME_S)
                break
            more = target - parked
            held.append(run_calls("hold-%d" % target, park_rows(more, start=parked), CAPACITY_PARK_RATE, 0,
                                  "park_until_hung_up.xml", limit=more))
            if not await_parked(1, target, timeout=more / CAPACITY_PARK_RATE + 120):
                log("capacity: %d of %d calls parked; stopping" % (parked_count(), target))
                break
            parked, last_parked_at = target, time.time()
            figures = capacity_step(cluster, target, pid)
            steps.append(figures)
            samples.append((target, figures["heap_bytes"]))
            if figures["music_held"] and most_held == (steps[-2]["parked"] if len(steps) > 1 else 0):
                most_held = target  # every step so far held its music
        live = None
        if parked:
            # the transactions and retransmission timers of the last parks are gone by now (32 s), what is left is
            # what a call holds while it waits
            time.sleep(max(0.0, last_parked_at + HISTOGRAM_AFTER_S - time.time()))
            live = histogram_per_call(base_histogram, class_histogram(pid), parked)
            log("capacity: %d parked, %.0f s after the last park: %.0f live bytes per call; most: %s"
                % (parked, time.time() - last_parked_at, live["bytes_per_call"],
                   ", ".join("%s %.0f" % (c["class"], c["bytes_per_call"]) for c in live["classes"][:6])))
    finally:
        release_held_calls(held)
    largest = steps[-1] if steps else {}
    return {"target": cfg.capacity_target, "most_held": most_held, "heap_base_bytes": base,
            "heap_per_call_bytes": slope(samples), "largest_step": largest.get("parked", 0),
            "live_bytes_per_call": live["bytes_per_call"] if live else None,
            "live_classes_per_call": live["classes"] if live else [],
            "gap_p99_ms": largest.get("gap_p99_ms"), "gap_worst_p99_ms": largest.get("gap_worst_p99_ms"),
            "steps": steps}


def fill_journal():
    """A node in service keeps the park events of its last minutes up to its journal's bound: the capacity phase
    fills the journal first, with park cycles (two events each: parked, abandoned), so that what it counts per
    parked call is what one more call adds to a node in service, not the journal still filling up."""
    n = JOURNAL_EVENTS // 2
    log("capacity: filling the event journal (%d events) with %d park cycles at %d/s" % (JOURNAL_EVENTS, n,
                                                                                        JOURNAL_FILL_RATE))
    sipp = run_calls("journal-fill", park_rows(n), JOURNAL_FILL_RATE, PARK_HOLD_MS, "park.xml")
    result = sipp.wait(step_timeout(n, JOURNAL_FILL_RATE, PARK_HOLD_MS))
    log("capacity: %d of %d park cycles of the fill succeeded" % (result["ok"], n))


def capacity_step(cluster, parked, pid):
    cfg = cluster.cfg
    time.sleep(cfg.capacity_settle_s)  # let every new stream pass its first packets before the window opens
    before, t0 = read_udp_counters(), time.time()
    sink = cluster.sink.measure(cfg.capacity_window_s, cfg.rtp_sample)
    after, elapsed = read_udp_counters(), time.time() - t0
    # while the calls are held nothing else of the bench sends, so the kernel's count of datagrams sent is the
    # node's RTP rate (other programs on the machine count too)
    sent = (after["OutDatagrams"] - before["OutDatagrams"]) / elapsed
    heap = heap_used_bytes(pid, cfg.heap_gcs)
    figures = {"parked": parked, "node_pps": sent, "node_pct": 100 * sent / (parked * 50),
               "music_held": sent >= parked * 50 * 0.97, "sink_pps": sink["pps"],
               "streams": int(sink["streams"]), "complete": int(sink["complete"]), "sampled": int(sink["sampled"]),
               "gap_p99_ms": sink["gap_p99_ms"], "gap_worst_p99_ms": sink["gap_worst_p99_ms"],
               "gap_max_ms": sink["gap_max_ms"], "heap_bytes": heap, **udp_drops(before, after)}
    log("capacity %d parked: node sends %.0f RTP/s (%.0f%% of %d); sink %s/s, %d complete of %d streams; gaps of "
        "%d streams p99 %.1f ms (worst stream %.1f, max %.1f); UDP drops %d rcvbuf %d in; heap %.1f MB"
        % (parked, sent, figures["node_pct"], parked * 50, sink["pps"], figures["complete"], figures["streams"],
           figures["sampled"], sink["gap_p99_ms"], sink["gap_worst_p99_ms"], sink["gap_max_ms"],
           figures["rcvbuf_errors"], figures["in_errors"], heap / 2**20))
    return figures


def release_held_calls(held):
    """Hangs the held calls up through the API (their SIPps answer the BYE and end); stops what is left by pid."""
    try:
        log("capacity: hanging up %d held calls through the API" % hang_up_parked())
    except (OSError, RuntimeError) as e:
        log("capacity: hanging up through the API failed: %s" % e)
    deadline = time.time() + 60
    for sipp in held:
        sipp.wait(max(1, deadline - time.time()))


# ---------------------------------------------------------------- replication

class Poller(threading.Thread):
    """Lists one node's parked calls of the bench tenant as fast as it answers; records when each park id is
    first seen there (wall clock, the same clock the nodes stamp parkedAt with: one machine)."""

    def __init__(self, node):
        super().__init__(daemon=True)
        self.node, self.first_seen, self.polls, self.running = node, {}, 0, True

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", http_port(self.node), timeout=5)
        while self.running:
            try:
                calls = api_on(conn, "GET", tenant_path("/parked"))["calls"]
            except (OSError, http.client.HTTPException, RuntimeError, ValueError):
                conn.close()
                time.sleep(0.1)
                continue
            now = time.time()
            self.polls += 1
            for call in calls:
                self.first_seen.setdefault(call["parkId"], (now, call["parkedAt"]))


def replication_run(cluster):
    """Parks one call at a time through node 1 while both nodes list their parked calls: how long after node 1
    stored a call (its parkedAt) does node 2 list it, compared with node 1 listing it?"""
    count = cluster.cfg.replication_calls
    other = "sip:127.0.0.1:%d;transport=udp" % (SIP_PORT_BASE + 1)
    kam_rpc("dispatcher.set_state", "d", "1", other)
    try:
        a, b = Poller(1), Poller(2)
        a.start()
        b.start()
        started = time.time()
        with UdpDrops() as drops:
            sipp = run_calls("replication", park_rows(count), 2, REPLICATION_HOLD_MS, "park.xml")
            r = sipp.wait(step_timeout(count, 2, REPLICATION_HOLD_MS))
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
    return {"calls": count, "ok": r["ok"], "failed": r["failed"], "success_pct": success_pct(r["ok"], count),
            "matched": len(both), "node1_ms": latency_summary(on_a), "node2_ms": latency_summary(on_b),
            "poll_ms": elapsed * 1000 / max(1, min(a.polls, b.polls)), **drops.figures}


# ---------------------------------------------------------------- phases: three runs, medians

def phase_kind(phase):
    return phase.rstrip("12")


RUN_ONCE = {"reference": reference_run, "park-cycles": park_cycles_run, "retrieve-cycles": retrieve_cycles_run,
            "latency": latency_run, "capacity": capacity_run, "replication": replication_run}

# the figures of a run that a phase reports the median of: (name in the summary, path in the run's dict)
MEDIAN_FIGURES = {
    "ladder": [("best_rate", ("best_rate",))],
    "latency": [("success_pct", ("success_pct",)), ("notify_p50_ms", ("notify_ms", "p50")),
                ("notify_p90_ms", ("notify_ms", "p90")), ("notify_p99_ms", ("notify_ms", "p99")),
                ("invite_to_200_p50_ms", ("invite_to_200_ms", "p50")),
                ("invite_to_200_p90_ms", ("invite_to_200_ms", "p90")),
                ("invite_to_200_p99_ms", ("invite_to_200_ms", "p99")), ("rcvbuf_errors", ("rcvbuf_errors",)),
                ("in_errors", ("in_errors",))],
    "capacity": [("most_held", ("most_held",)), ("heap_per_call_bytes", ("heap_per_call_bytes",)),
                 ("live_bytes_per_call", ("live_bytes_per_call",)),
                 ("gap_p99_ms", ("gap_p99_ms",)), ("gap_worst_p99_ms", ("gap_worst_p99_ms",))],
    "replication": [("success_pct", ("success_pct",)), ("node1_p50_ms", ("node1_ms", "p50")),
                    ("node1_p99_ms", ("node1_ms", "p99")), ("node2_p50_ms", ("node2_ms", "p50")),
                    ("node2_p90_ms", ("node2_ms", "p90")), ("node2_p99_ms", ("node2_ms", "p99"))],
}


def figure_family(kind):
    return "ladder" if kind in ("reference", "park-cycles", "retrieve-cycles") else kind


def dig(run, path):
    for key in path:
        run = run.get(key) if isinstance(run, dict) else None
    return run


def run_phase(phase, cluster, webhooks):
    """Runs a phase --runs times, each from an empty park; its runs and the median of each figure over them."""
    kind = phase_kind(phase)
    runs = []
    for i in range(cluster.cfg.runs):
        log("== %s, run %d of %d" % (phase, i + 1, cluster.cfg.runs))
        cluster.keep_registered()
        before = webhooks.deliveries()
        run = RUN_ONCE[kind](cluster)
        run["webhook_deliveries"] = webhooks.deliveries() - before
        run["split_after"] = cluster_split(cluster.nodes)
        if run["split_after"]:
            log("%s: the cluster was split at the end of the run: %s (its two-node figures are not two nodes')"
                % (phase, split_text(run["split_after"])))
        runs.append(run)
        cluster.empty_park()
    if kind == "latency":
        cluster.log_devices(False)
    medians = {name: median_of([dig(run, path) for run in runs]) for name, path in MEDIAN_FIGURES[figure_family(kind)]}
    log("%s: %s" % (phase, ", ".join("%s %s %s" % (k, fmt(v["median"]), [fmt(x) for x in v["values"]])
                                      for k, v in medians.items())))
    return {"phase": phase, "medians": medians, "runs": runs}


def fmt(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return "%.1f" % value
    return "%d" % value


# ---------------------------------------------------------------- the plan

def estimate_run_s(kind, cfg):
    """Seconds one run of a phase takes, estimated from its steps (a ladder climbing every step)."""
    if kind in ("reference", "park-cycles"):
        return len(cfg.ladder) * (cfg.step_s + PARK_HOLD_MS / 1000 + STEP_OVERHEAD_S)
    if kind == "retrieve-cycles":
        return len(cfg.ladder) * (cfg.step_s + RETRIEVE_OFFSET_S + TALK_MS / 1000 + STEP_OVERHEAD_S)
    if kind == "latency":
        return cfg.latency_calls / cfg.latency_rate + LATENCY_HOLD_MS / 1000 + 1 + STEP_OVERHEAD_S
    if kind == "capacity":
        heap = cfg.heap_gcs * 2 * JCMD_S
        parked, total = 0, heap
        for target in cfg.capacity_steps:
            total += (target - parked) / CAPACITY_PARK_RATE + 1 + cfg.capacity_settle_s + cfg.capacity_window_s + heap
            parked = target
        # the journal's filling, the settling before the baseline and after the last park; hanging up through the API
        total += JOURNAL_EVENTS / 2 / JOURNAL_FILL_RATE + PARK_HOLD_MS / 1000
        return total + 2 * HISTOGRAM_AFTER_S + 2 * JCMD_S + cfg.capacity_target / 200 + 3
    if kind == "replication":
        return cfg.replication_calls / 2 + REPLICATION_HOLD_MS / 1000 + 1 + STEP_OVERHEAD_S
    raise ValueError(kind)


def estimate_plan(phases, cfg):
    """[(what, seconds)] of the whole run, in order."""
    plan = []
    for nodes in (1, 2):
        mine = phases_for(nodes, phases)
        if not mine:
            continue
        # the climb's three stages, and (a guess) three rounds until the JIT is quiet
        warm = (cfg.warmup_s + 3 * (RETRIEVE_OFFSET_S + STEP_OVERHEAD_S)
                + (3 * (WARMUP_ROUND_S + RETRIEVE_OFFSET_S + STEP_OVERHEAD_S) if cfg.warmup_jit else 0)
                if cfg.warmup_s > 0 else 0)
        plan.append(("%d node%s: ./callpark up, tenant, devices, %d s warm-up%s"
                     % (nodes, "s" if nodes > 1 else "", cfg.warmup_s,
                        " and rounds until the JIT is quiet" if cfg.warmup_jit else ""),
                     CLUSTER_UP_S[nodes] + REGISTER_S + 1 + warm))
        for phase in mine:
            extra = 2 * REGISTER_S if phase_kind(phase) == "latency" else 0  # the devices SIPp with its log and back
            plan.append(("%s: %d runs" % (phase, cfg.runs), cfg.runs * estimate_run_s(phase_kind(phase), cfg) + extra))
        plan.append(("%d node%s: ./callpark down" % (nodes, "s" if nodes > 1 else ""),
                     CLUSTER_DOWN_S_PER_NODE * nodes))
    return plan


def print_plan(phases, cfg):
    plan = estimate_plan(phases, cfg)
    total = sum(s for _, s in plan)
    print("Planned (estimated from the step durations; a ladder that stops early takes less, the first run also "
          "builds and adds the subscribers):")
    for what, seconds in plan:
        print("  %6.0f s  %s" % (seconds, what))
    print("  %6.0f s  total (%.1f min)" % (total, total / 60), flush=True)
    if cfg.quick and total > 600:
        print("warning: --quick planned over 10 minutes", flush=True)
    return total


# ---------------------------------------------------------------- main

def phases_for(nodes, phases):
    one_node = [p for p in phases if p.endswith("1") or p in ("reference", "capacity")]
    return one_node if nodes == 1 else [p for p in phases if p not in one_node]


def selected_phases(only):
    if not only:
        return list(PHASES)
    wanted = []
    for name in (p.strip() for p in only.split(",") if p.strip()):
        name = OLD_PHASE_NAMES.get(name, name)
        if name not in PHASES:
            raise SystemExit("unknown phase %r; phases: %s" % (name, ", ".join(PHASES)))
        wanted.append(name)
    return [p for p in PHASES if p in wanted]


def cleanup(*_):
    for p in STARTED:
        if p.poll() is None:
            p.kill()
            p.wait()
    if os.path.exists(os.path.join(VAR, "kamailio")):
        subprocess.run([os.path.join(ROOT, "callpark"), "down"], env=launcher_env(), cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="every phase, small, one run each: ladder 25,50 with 2 s steps, 10 s warm-up, 40 latency calls, "
                             "capacity 300, 10 replication calls (planned under 10 min)")
    parser.add_argument("--only", default="", help="comma-separated phases to run (see above)")
    parser.add_argument("--runs", type=int, default=None,
                        help="runs of each phase; the median is reported (3; 1 with --quick)")
    parser.add_argument("--min-success", type=float, default=99.9,
                        help="percent of a step's operations that must succeed for it to pass (99.9)")
    parser.add_argument("--ladder", default="", help="comma-separated rates to climb instead of the default ladder")
    parser.add_argument("--warmup", type=int, default=None,
                        help="seconds of retrieve cycles climbing to %d/s after each cluster start, the same for one "
                             "and two nodes (default 30, 10 with --quick; 0: none)" % WARMUP_RATE)
    parser.add_argument("--capacity-target", type=int, default=None,
                        help="parked calls the capacity phase climbs to (default 3000 in steps of 500; 300 in one "
                             "step with --quick)")
    parser.add_argument("--rtp-sample", type=int, default=50,
                        help="streams whose inter-packet gaps the capacity phase records (50)")
    parser.add_argument("--out", default=os.path.join(VAR, "results.md"))
    parser.add_argument("--json", default=os.path.join(VAR, "results.json"))
    args = parser.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main():
    args = parse_args()
    cfg = config_from(args)
    phases = selected_phases(args.only)
    planned = print_plan(phases, cfg)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    shutil.rmtree(os.path.join(VAR, "sipp"), ignore_errors=True)
    results, failure = {}, None
    webhooks = WebhookReceiver(WEBHOOK_PORT)
    started = time.time()
    try:
        for nodes in (1, 2):
            mine = phases_for(nodes, phases)
            if not mine:
                continue
            cluster = Cluster(nodes, cfg, webhooks)
            try:
                cluster.start()
                for phase in mine:
                    results[phase] = run_phase(phase, cluster, webhooks)
            finally:
                cluster.stop()
    except BaseException as e:  # also Ctrl-C and SIGTERM: report what was measured before
        failure = "%s: %s" % (type(e).__name__, e)
        log("run failed: " + failure)
    finally:
        time.sleep(1)  # the last webhook deliveries
        webhook_figures = webhooks.figures()
        webhooks.stop()
        cleanup()
    elapsed = time.time() - started
    write_results(args, cfg, results, webhook_figures, elapsed, failure)
    log("took %.1f min (planned %.1f min)" % (elapsed / 60, planned / 60))
    if failure:
        sys.exit(1)


def write_results(args, cfg, results, webhook_figures, elapsed, failure):
    document = {"command": "bench/bench.py " + " ".join(sys.argv[1:]), "started": time.strftime(
        "%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - elapsed)), "elapsed_s": elapsed, "failure": failure,
                "config": asdict(cfg), "webhooks": webhook_figures, "phases": results}
    os.makedirs(os.path.dirname(args.json), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(without_nan(document), f, indent=1, default=str)
    report = render(document)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(report)
    print(report)


def without_nan(value):
    """The document with NaN (a percentile of no values) as null: JSON has no NaN."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: without_nan(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [without_nan(v) for v in value]
    return value


# ---------------------------------------------------------------- the report (Markdown)

LADDER_LABELS = {"reference": "plain calls/s through Kamailio to a SIPp UAS (reference)",
                 "park-cycles1": "park cycles/s, 1 node", "retrieve-cycles1": "retrieve cycles/s, 1 node",
                 "park-cycles2": "park cycles/s, 2 nodes", "retrieve-cycles2": "retrieve cycles/s, 2 nodes"}
KEY_LATENCY = {"reference": "INVITE to 200", "park-cycles": "park INVITE to 200",
               "retrieve-cycles": "retrieve INVITE to 200"}


def median_text(summary, unit=""):
    """'200/s (160, 200, 250)': the median, then every run's value."""
    return "%s%s (%s)" % (fmt(summary["median"]), unit, ", ".join(fmt(v) for v in summary["values"]))


def render(doc):
    cfg, phases = doc["config"], doc["phases"]
    cpu = subprocess.run(["sh", "-c", "nproc; grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                         stdout=subprocess.PIPE, text=True).stdout.split("\n")
    lines = ["# Benchmark run %s" % doc["started"], "",
             "Command: `%s` on %s cores (%s), %.0f min." % (doc["command"], cpu[0].strip(), cpu[1].strip(),
                                                             doc["elapsed_s"] / 60), "",
             "Every phase ran %d times: figures are the median, then each run's value in brackets. A ladder step "
             "passes at >= %s%% success; steps of %d s; %d s of retrieve cycles climbing to %d/s after each cluster start%s. "
             "Tenant %s: recallTime %d s, callsPerExtension %d, park group %s, one webhook."
             % (cfg["runs"], fmt(cfg["min_success_pct"]), cfg["step_s"], cfg["warmup_s"], WARMUP_RATE,
                ", then rounds of %d s until no node's JIT used over %.2f of a core" % (WARMUP_ROUND_S, WARMUP_JIT_QUIET)
                if cfg.get("warmup_jit") else "", DOMAIN, RECALL_TIME_S, cfg["calls_per_extension"], PARK_GROUP), ""]
    if doc["failure"]:
        lines += ["**The run failed**: %s (the figures below are what was measured before)." % doc["failure"], ""]
    lines += render_ladders(phases)
    for phase in ("latency1", "latency2"):
        if phase in phases:
            lines += render_latency(phases[phase], cfg)
    if "capacity" in phases:
        lines += render_capacity(phases["capacity"], cfg)
    if "replication" in phases:
        lines += render_replication(phases["replication"])
    hooks = doc["webhooks"]
    lines += ["## Webhook", "", "The tenant's webhook (a receiver of this script on 127.0.0.1) got %d deliveries "
              "(%d of them retries): %s." % (hooks["deliveries"], hooks["retries"], ", ".join(
                  "%s %d" % kv for kv in sorted(hooks["by_type"].items())) or "none"), ""]
    return "\n".join(lines) + "\n"


def render_ladders(phases):
    present = [p for p in LADDER_LABELS if p in phases]
    if not present:
        return []
    ref = phases.get("reference", {}).get("medians", {}).get("best_rate", {}).get("median")
    lines = ["## Rate ladders", "",
             "| ladder | highest passing rate | first failing rate | vs reference |", "|---|---|---|---|"]
    for phase in present:
        best = phases[phase]["medians"]["best_rate"]
        failing = ", ".join("%d/s" % r["first_failing"] if r["first_failing"] else "none"
                            for r in phases[phase]["runs"])
        ratio = "%.2f" % (best["median"] / ref) if ref and best["median"] is not None else "-"
        lines.append("| %s | %s | %s | %s |" % (LADDER_LABELS[phase], median_text(best, "/s"), failing, ratio))
    lines.append("")
    for phase in present:
        lines += ["### %s: every step" % phase, "",
                  "| run | rate | calls | success | %s p50 / p90 / p99 ms | UDP RcvbufErrors / InErrors | drops at "
                  "node SIP / Kamailio / RTP sink | wall | pass |" % KEY_LATENCY[phase_kind(phase)],
                  "|---|---|---|---|---|---|---|---|---|"]
        for i, run in enumerate(phases[phase]["runs"], 1):
            for s in run["steps"]:
                lat = s["latency_ms"]
                lines.append("| %d | %d/s | %d | %.2f%% (%d ok, %d failed) | %s / %s / %s | %d / %d | %s / %s / %s "
                             "| %.1f s | %s |"
                             % (i, s["rate"], s["calls"], s["success_pct"], s["ok"], s["failed"], fmt(lat["p50"]),
                                fmt(lat["p90"]), fmt(lat["p99"]), s["rcvbuf_errors"], s["in_errors"],
                                s.get("node_sip_drops", "-"), s.get("kamailio_drops", "-"), s.get("sink_drops", "-"),
                                s["elapsed_s"], "pass" if s["pass"] else "FAIL"))
        lines.append("")
    return lines


def render_latency(result, cfg):
    m, runs = result["medians"], result["runs"]
    return ["## %s: park to NOTIFY" % result["phase"], "",
            "%d park cycles/s, %d calls per run (success %s; NOTIFYs matched %s): from the transferee's authenticated "
            "INVITE to the parked NOTIFY at the device p50 %s / p90 %s / p99 %s ms; the park's INVITE to 200 "
            "p50 %s / p90 %s / p99 %s ms; UDP drops RcvbufErrors %s, InErrors %s."
            % (cfg["latency_rate"], runs[0]["calls"], median_text(m["success_pct"], "%"),
               ", ".join(str(r["notified"]) for r in runs),
               median_text(m["notify_p50_ms"]), median_text(m["notify_p90_ms"]), median_text(m["notify_p99_ms"]),
               median_text(m["invite_to_200_p50_ms"]), median_text(m["invite_to_200_p90_ms"]),
               median_text(m["invite_to_200_p99_ms"]), median_text(m["rcvbuf_errors"]),
               median_text(m["in_errors"])), ""]


def render_capacity(result, cfg):
    m = result["medians"]
    lines = ["## Capacity, one node (recall off)", "",
             "Target %d parked calls. Most calls held with music (the node sends >= 97%% of 50 packets/s per call "
             "at that step and every step before): %s. Heap per parked call (least-squares slope of heap after "
             "full GC over parked calls): %s bytes; live bytes per parked call (class histograms before the first "
             "park and %d s after the last): %s. At the largest step, the 99th percentile of the gap between "
             "consecutive packets of %d sampled streams: %s ms pooled, %s ms for the worst stream (20 ms is on "
             "time)." % (cfg["capacity_target"], median_text(m["most_held"]), median_text(m["heap_per_call_bytes"]),
                         HISTOGRAM_AFTER_S, median_text(m["live_bytes_per_call"]), cfg["rtp_sample"], median_text(m["gap_p99_ms"]), median_text(m["gap_worst_p99_ms"])), "",
             "| run | parked | RTP packets/s the node sends (of 50 per call) | sink receives/s | complete streams | "
             "gap p99 / worst stream p99 / max ms | UDP RcvbufErrors / InErrors | heap used |",
             "|---|---|---|---|---|---|---|---|"]
    for i, run in enumerate(result["runs"], 1):
        for s in run["steps"]:
            lines.append("| %d | %d | %.0f (%.0f%%) | %.0f | %d/%d | %.1f / %.1f / %.1f | %d / %d | %.1f MB |"
                         % (i, s["parked"], s["node_pps"], s["node_pct"], s["sink_pps"], s["complete"],
                            s["streams"], s["gap_p99_ms"], s["gap_worst_p99_ms"], s["gap_max_ms"],
                            s["rcvbuf_errors"], s["in_errors"], s["heap_bytes"] / 2**20))
    lines.append("")
    first = next((r for r in result["runs"] if r.get("live_classes_per_call")), None)
    if first:
        lines += ["Where a parked call's live bytes are (first run; classes by bytes per call):", "",
                  "| class | instances per call | bytes per call |", "|---|---|---|"]
        lines += ["| `%s` | %.2f | %.1f |" % (c["class"], c["instances_per_call"], c["bytes_per_call"])
                  for c in first["live_classes_per_call"]]
        lines.append("")
    return lines


def render_replication(result):
    m, runs = result["medians"], result["runs"]
    return ["## Replication, two nodes", "",
            "%d parks per run through node 1 at 2/s, each held 0.5 s (success %s; seen on both nodes %s; each "
            "node listed every %s ms): after node 1 stored the call, node 1 lists it p50 %s / p99 %s ms, node 2 "
            "p50 %s / p90 %s / p99 %s ms."
            % (runs[0]["calls"], median_text(m["success_pct"], "%"), ", ".join(str(r["matched"]) for r in runs),
               ", ".join("%.1f" % r["poll_ms"] for r in runs), median_text(m["node1_p50_ms"]),
               median_text(m["node1_p99_ms"]), median_text(m["node2_p50_ms"]), median_text(m["node2_p90_ms"]),
               median_text(m["node2_p99_ms"])), ""]


if __name__ == "__main__":
    main()
