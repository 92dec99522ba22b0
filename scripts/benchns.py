"""scripts/benchns.py: the network namespace of scripts/bench's W7 (many
host names through DNS): the namespace with its own loopback and
resolv.conf, dnsmasq answering the names from a hosts file, and what it
saw (queries from its log, UDP receive errors, TCP accepts); and
server(), how the bench starts every server.

`ip netns exec NAME CMD` bind-mounts /etc/netns/NAME/resolv.conf over
/etc/resolv.conf for CMD alone, so glibc's resolver (curl's threaded
one, wget2's, aiohttp's) and c-ares (cofetch's) all ask the dnsmasq
listening on 127.0.0.1:53 inside the namespace; the namespace has
nothing but lo, so every address of 127.0.0.0/8 is its own and nothing
leaves it.  Needs root.
"""
import ctypes, os, re, shutil, signal, subprocess, time

NAME = "cofetch-bench"
ETC = "/etc/netns/" + NAME
DOMAIN = "w7.test"
# The names' A records are spread over 127.0.0.1 .. 127.0.0.ADDRS.
ADDRS = 4
# A name outside the URL lists, asked once to know dnsmasq answers.
PROBE = "probe." + DOMAIN
SETUP_LIMIT_S = 30
PR_SET_PDEATHSIG = 1
QUERY = re.compile(r"query\[(\w+)\] (\S+) from ")


def server(cmd, **kw):
    """A server the bench starts: it gets SIGTERM when the bench dies,
    however it dies, so none is left behind.  dnsmasq loses that wish
    when it sets its credentials; remove() ends one left in the
    namespace."""
    libc = ctypes.CDLL(None, use_errno=True)
    return subprocess.Popen(cmd, preexec_fn=lambda: libc.prctl(
        PR_SET_PDEATHSIG, signal.SIGTERM), **kw)


def host(i):
    return "h%05d.%s" % (i + 1, DOMAIN)


def addr(i):
    return "127.0.0.%d" % (i % ADDRS + 1)


def unavailable():
    """Why W7 cannot run here, or None."""
    if os.geteuid() != 0:
        return "W7 needs root (ip netns add); skipped"
    for prog in ("ip", "dnsmasq", "getent"):
        if not shutil.which(prog):
            return "W7 needs %s; skipped" % prog
    return None


def run(*cmd):
    subprocess.run(cmd, check=True, timeout=SETUP_LIMIT_S,
                   stdout=subprocess.DEVNULL)


def inside(cmd):
    """cmd run inside the namespace."""
    return ["ip", "netns", "exec", NAME] + cmd


def remove():
    """The namespace, what still runs in it (a killed bench's nginx and
    dnsmasq) and /etc/netns/NAME (and /etc/netns when that leaves it
    empty); nothing when none is there."""
    if os.path.exists(os.path.join("/run/netns", NAME)):
        pids = subprocess.run(["ip", "netns", "pids", NAME],
                              capture_output=True, text=True,
                              timeout=SETUP_LIMIT_S).stdout.split()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for p in pids:
                try:
                    os.kill(int(p), sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + 5
            while (time.monotonic() < deadline and
                   any(os.path.exists("/proc/" + p) for p in pids)):
                time.sleep(0.02)
        run("ip", "netns", "del", NAME)
    shutil.rmtree(ETC, True)
    try:
        os.rmdir(os.path.dirname(ETC))
    except OSError:
        pass


def create():
    """A new namespace (a stale one removed first) with lo up and a
    resolv.conf naming the dnsmasq inside it alone."""
    remove()
    run("ip", "netns", "add", NAME)
    os.makedirs(ETC)
    with open(os.path.join(ETC, "resolv.conf"), "w") as f:
        f.write("nameserver 127.0.0.1\n")
    run(*inside(["ip", "link", "set", "lo", "up"]))
    # The names' addresses, on lo by name: glibc's AI_ADDRCONFIG counts
    # no address but 127.0.0.1 and ::1, and without another one would
    # refuse AF_INET lookups (aiohttp's, getent ahostsv4) unasked, where
    # a host with an IPv4 address (and no IPv6 one) asks for A only.
    for i in range(1, ADDRS):
        run(*inside(["ip", "addr", "add", addr(i) + "/8", "dev", "lo"]))


def start_dns(tmp, hosts):
    """dnsmasq inside the namespace answering PROBE and the first hosts
    names (A records only: AAAA gets an empty answer), and its log."""
    zone = os.path.join(tmp, "w7.hosts")
    with open(zone, "w") as f:
        f.write("127.0.0.1 %s\n" % PROBE)
        for i in range(hosts):
            f.write("%s %s\n" % (addr(i), host(i)))
    log = os.path.join(tmp, "dnsmasq.log")
    # --local: the domain is answered from the hosts file alone, so a
    # missing type is NODATA rather than REFUSED for want of an upstream.
    # --cache-size=0: the cache holds forwarded answers, and nothing is
    # forwarded; hosts-file records are served without it.
    # --dns-forward-max limits forwarded queries only; none here.
    # --user=root: the log is in the bench's private directory.
    # Without --log-async dnsmasq writes each line before it goes on.
    proc = server(inside([
        "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
        "--no-resolv", "--no-hosts", "--no-poll", "--addn-hosts=" + zone,
        "--local=/%s/" % DOMAIN, "--listen-address=127.0.0.1",
        "--bind-interfaces", "--port=53", "--cache-size=0",
        "--user=root", "--pid-file=" + os.path.join(tmp, "dnsmasq.pid"),
        "--log-queries", "--log-facility=" + log]),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + SETUP_LIMIT_S
    while subprocess.run(inside(["getent", "ahostsv4", PROBE]),
                         stdout=subprocess.DEVNULL,
                         timeout=SETUP_LIMIT_S).returncode != 0:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("bench: dnsmasq in %s did not answer" % NAME)
        time.sleep(0.05)
    return proc, log


def snmp(pid):
    """The namespace's counters ("Udp", "Tcp": {field: value}) as the
    process pid, inside it, sees them."""
    rows = {}
    with open("/proc/%d/net/snmp" % pid) as f:
        lines = f.read().splitlines()
    for head, values in zip(lines[::2], lines[1::2]):
        kind, names = head.split(":")
        rows[kind] = dict(zip(names.split(),
                              map(int, values.split(":")[1].split())))
    return rows


def dns_drops(pid):
    """Datagrams dropped at dnsmasq's own socket (127.0.0.1:53), full."""
    with open("/proc/%d/net/udp" % pid) as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1] == "0100007F:0035":
                return int(fields[-1])
    return 0


def listening(pid, port):
    """Addresses of the namespace listening on TCP port, from pid's view."""
    found = set()
    with open("/proc/%d/net/tcp" % pid) as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            ip, p = fields[1].split(":")
            state = fields[3]
            if state == "0A" and int(p, 16) == port:
                found.add(ip)
    return found


def queries(log, offset):
    """Queries dnsmasq logged past offset: counts by type, the names
    asked, and the new offset."""
    by_type, names = {}, set()
    with open(log, "rb") as f:
        f.seek(offset)
        text = f.read()
    for m in QUERY.finditer(text.decode(errors="replace")):
        if m.group(2) != PROBE:
            by_type[m.group(1)] = by_type.get(m.group(1), 0) + 1
            names.add(m.group(2))
    return by_type, len(names), offset + len(text)
