#!/usr/bin/env python3
"""Chaos suite: kill -9 the packaged bundle at random moments while files flow, then audit VMEG (the sandbox).

Run through `bash .ci/chaos` (it checks the tools and builds the jar when missing). Standard library only.

Layout of one run (a scratch directory, kept on failure or with CHAOS_KEEP=1):
  sandbox/        the VMEG sandbox's working directory and data dir (state.json), its log
  bundle/         the bundle's working directory: inbox/ outbox/ processing/ archive/ failed/ data/, bundle.log
  media/          the generated sources
  report.txt      the counts and every failure with its evidence

Environment: CHAOS_SEED (plan: media, languages, drops, kill moments), CHAOS_KILLS (30), CHAOS_FILES (8),
CHAOS_DRAIN_TIMEOUT (seconds to finish after the last kill, 120), CHAOS_MAX_SECONDS (hard cap, 900),
CHAOS_JAR, CHAOS_WORK_DIR, CHAOS_KEEP, CHAOS_JAVA_OPTS, CHAOS_CDS (1: class-data archive for quicker restarts).
"""
import hashlib
import json
import os
import random
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import wave

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LANGUAGES = ["de-DE", "fr-FR", "ja-JP", "es-ES", "it-IT", "pt-BR", "zh-CN", "ko-KR", "nl-NL"]
SANDBOX_CREDITS = 1_000_000  # SandboxMain's default balance for a new data dir
MULTIPART_THRESHOLD = 8 * 1024 * 1024  # so that the big file goes through multipart upload
READY_TIMEOUT = 120  # seconds for a restarted bundle to come up; longer is a failure
PAGE_SIZE = 7  # small on purpose: the audit walks several pages of tasks/list and the material list
ACTION_TIMEOUT = 6  # seconds to wait for the log line a kill waits for; then it kills anyway
# log lines after which an "action" kill fires (after a short random delay): the moment a step of the flow starts
# or ends. The wording may change with the product; a pattern that never shows falls back to a timed kill.
ACTIONS = {
    "intake": r"\bIntake - |\bingest",
    "upload": r"gen-upload-url|/storage/|upload",
    "submit": r"create-async|TaskSubmitter",
    "webhook": r"WebhookIntake|webhook .*stored",
    "download": r"/cdn/|Deliverables|download",
    "complete": r"JobCompletion|COMPLETED",
}


def env_int(name, default):
    v = os.environ.get(name, "").strip()
    return int(v) if v else default


def now():
    return time.monotonic()


def stamp():
    t = time.time()
    return time.strftime("%H:%M:%S", time.gmtime(t)) + ".%03d" % int((t % 1) * 1000)


def log(msg):
    print("chaos: " + msg, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def digest(path, algo):
    h = hashlib.new(algo)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Failure(Exception):
    pass


# ---------------------------------------------------------------------------------------------------------------
# the plan: everything random comes from the seed

def make_plan(seed, kills, nfiles):
    rng = random.Random(seed)
    files = []
    big = rng.sample(range(nfiles), min(2, nfiles))  # two bigger files: long uploads and downloads
    for i in range(nfiles):
        name = "chaos%02d.wav" % (i + 1)
        if i == big[0]:
            # 13-15 MB: above the multipart threshold, two parts of the sandbox's recommended 8 MiB
            rate, channels, seconds = 44100, 2, rng.uniform(76, 85)
        elif len(big) > 1 and i == big[1]:
            rate, channels, seconds = 44100, 2, rng.uniform(15, 25)  # 2.6-4.4 MB, single PUT
        else:
            rate, channels, seconds = rng.choice([8000, 16000, 22050]), 1, rng.uniform(1.5, 8)
        langs = rng.sample(LANGUAGES, rng.choice([2, 2, 3]))
        files.append({"name": name, "rate": rate, "channels": channels, "seconds": round(seconds, 2),
                      "langs": langs, "noise": rng.getrandbits(64)})
    # a third of the files are there before the first start; the rest are dropped during the first 70 % of
    # the kills, some while the bundle is down, some right after it came up
    first = max(1, nfiles // 3)
    drops = {}
    for f in files[first:]:
        cycle = rng.randint(1, max(1, int(kills * 0.7)))
        drops.setdefault(cycle, []).append((f["name"], rng.choice(["down", "up"])))
    cycles = []
    for _ in range(kills):
        mode = rng.choices(["boot", "ready", "step", "action"], weights=[20, 25, 25, 30])[0]
        c = {"mode": mode}
        if mode == "boot":
            c["delay"] = round(rng.uniform(0.3, 6.0), 3)
        elif mode == "ready":
            c["delay"] = round(rng.uniform(0, 0.3) if rng.random() < 0.5 else rng.uniform(0.3, 4.0), 3)
        elif mode == "step":
            c["lines"] = rng.randint(1, 20)
            c["delay"] = round(rng.uniform(0, 0.05), 3)
        else:
            c["action"] = rng.choice(sorted(ACTIONS))
            c["delay"] = round(rng.uniform(0, 0.4), 3)
        cycles.append(c)
    return {"files": files, "initial": [f["name"] for f in files[:first]], "drops": drops, "cycles": cycles}


def write_media(f, path):
    """Distinct valid WAV (the sandbox probes RIFF/WAVE for the duration): seeded noise."""
    rng = random.Random(f["noise"])
    frames = int(f["rate"] * f["seconds"])
    tmp = path + ".tmp"
    with wave.open(tmp, "wb") as w:
        w.setnchannels(f["channels"])
        w.setsampwidth(2)
        w.setframerate(f["rate"])
        left = frames * f["channels"] * 2
        while left > 0:
            n = min(left, 1 << 20)
            w.writeframes(rng.randbytes(n))
            left -= n
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------------------------
# processes

class Proc:
    """A java process of ours; its output goes (appended) to a log file."""

    def __init__(self, label, args, cwd, env, logfile):
        self.label = label
        self.logfile = logfile
        out = open(logfile, "ab")
        self.p = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        self.pid = self.p.pid

    def alive(self):
        return self.p.poll() is None

    def kill9(self):
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
        self.p.wait()

    def stop(self, timeout):
        """SIGTERM, then SIGKILL after timeout seconds. True if it stopped on its own."""
        if not self.alive():
            return True
        os.kill(self.pid, signal.SIGTERM)
        try:
            self.p.wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            self.kill9()
            return False


def http_json(url, headers=None, timeout=5):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read().decode("utf-8") or "null")
    except urllib.error.HTTPError as e:
        body = e.read().decode("utf-8", "replace")
        try:
            return e.code, json.loads(body)
        except ValueError:
            return e.code, body


class LogTail:
    """Reads a growing log file from a given offset, line by line."""

    def __init__(self, path, offset):
        self.path, self.offset, self.partial = path, offset, b""

    def lines(self):
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            data = f.read()
        self.offset += len(data)
        data = self.partial + data
        parts = data.split(b"\n")
        self.partial = parts.pop()
        return [p.decode("utf-8", "replace") for p in parts]


# ---------------------------------------------------------------------------------------------------------------

class Chaos:

    def __init__(self):
        self.seed = env_int("CHAOS_SEED", random.SystemRandom().randrange(1, 10 ** 9))
        self.kills = env_int("CHAOS_KILLS", 30)
        self.nfiles = env_int("CHAOS_FILES", 8)
        self.drain_timeout = env_int("CHAOS_DRAIN_TIMEOUT", 120)
        self.max_seconds = env_int("CHAOS_MAX_SECONDS", 900)
        self.keep = os.environ.get("CHAOS_KEEP", "") not in ("", "0", "false")
        self.jar = os.path.abspath(os.environ.get("CHAOS_JAR") or os.path.join(ROOT, "target", "vmeg-camel.jar"))
        self.java_opts = shlex.split(os.environ.get("CHAOS_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"))
        self.cds = os.environ.get("CHAOS_CDS", "1") not in ("0", "false")
        work = os.environ.get("CHAOS_WORK_DIR")
        if work:
            os.makedirs(work, exist_ok=True)
            self.work = os.path.abspath(work)
        else:
            self.work = tempfile.mkdtemp(prefix="vmeg-chaos-")
        self.sandbox_dir = os.path.join(self.work, "sandbox")
        self.sandbox_data = os.path.join(self.sandbox_dir, "data")
        self.bundle_dir = os.path.join(self.work, "bundle")
        self.media_dir = os.path.join(self.work, "media")
        self.bundle_log = os.path.join(self.bundle_dir, "bundle.log")
        self.inbox = os.path.join(self.bundle_dir, "inbox")
        for d in (self.sandbox_dir, self.bundle_dir, self.media_dir, self.inbox):
            os.makedirs(d, exist_ok=True)
        self.api_key = "chaos-key-" + os.urandom(8).hex()
        self.secret = "chaos-secret-" + os.urandom(8).hex()
        self.sandbox_port, self.http_port, self.mgmt_port = free_port(), free_port(), free_port()
        self.base_url = "http://127.0.0.1:%d" % self.sandbox_port
        self.sandbox = None
        self.bundle = None
        self.cds_file = None
        self.started = now()
        self.failures = []
        self.kill_log = []  # one entry per kill: cycle, mode, trigger, times
        self.plan = make_plan(self.seed, self.kills, self.nfiles)
        self.files = {f["name"]: f for f in self.plan["files"]}
        self.dropped = []
        self.ready_times = []  # seconds from launch to ready, per restart that waited for it

    # -- processes ----------------------------------------------------------------------------------------------

    def java(self, *extra):
        return ["java"] + self.java_opts + list(extra)

    def start_sandbox(self):
        env = dict(os.environ, VMEG_SANDBOX_PORT=str(self.sandbox_port), VMEG_API_KEY=self.api_key,
                   VMEG_WEBHOOK_SECRET=self.secret, VMEG_SANDBOX_DATA_DIR=self.sandbox_data,
                   VMEG_WEBHOOK_URL="http://127.0.0.1:%d/webhooks/vmeg" % self.http_port,
                   VMEG_SANDBOX_TASK_DURATION="1s")
        self.sandbox = Proc("sandbox", self.java("-cp", self.jar, "io.vmegcamel.sandbox.SandboxMain"),
                            self.sandbox_dir, env, os.path.join(self.sandbox_dir, "sandbox.log"))
        deadline = now() + 60
        while now() < deadline:
            if not self.sandbox.alive():
                raise Failure("the sandbox exited at start (see %s)" % self.sandbox.logfile)
            try:
                status, _ = self.api("tasks/list", pageSize=1)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise Failure("the sandbox did not answer within 60 s (see %s)" % self.sandbox.logfile)

    def bundle_env(self):
        return dict(os.environ, VMEG_SANDBOX="false", VMEG_BASE_URL=self.base_url, VMEG_API_KEY=self.api_key,
                    VMEG_WEBHOOK_SECRET=self.secret, VMEG_PUBLIC_URL="http://127.0.0.1:%d" % self.http_port,
                    VMEG_HTTP_PORT=str(self.http_port), VMEG_MANAGEMENT_PORT=str(self.mgmt_port),
                    VMEG_RECONCILE_AFTER="5s", VMEG_RECONCILE_INTERVAL_MS="2000",
                    VMEG_EVENTS_SWEEP_MS="2000", VMEG_EVENTS_RETRY_AFTER="3s",
                    # an event whose processor was killed is taken again once its lease lapses (a build without
                    # this setting keeps its own lease and ignores the variable)
                    VMEG_EVENTS_LEASE="10s",
                    # a create-async whose answer a kill lost, and whose webhooks all came while the bundle was
                    # down (the sandbox gives up after 8 tries, about 2 minutes), is looked for in VMEG's task list
                    # after this instead of 10 minutes: well within the drain
                    VMEG_SUBMISSION_CONFIRM_AFTER="15s",
                    VMEG_INGEST_POLL_MS="500", VMEG_INGEST_STABLE_CHECK_MS="500",
                    VMEG_RETRY_DELAY_MS="500", VMEG_RETRY_MAX_DELAY_MS="5000",
                    VMEG_UPLOAD_MULTIPART_THRESHOLD=str(MULTIPART_THRESHOLD),
                    # VMEG's recommended 8 MiB, so that the big file has two parts for a kill to fall between
                    VMEG_UPLOAD_MIN_PART_SIZE="0")

    def warm_up(self):
        """One clean start and stop in a throwaway directory that dumps a class-data archive: later starts load
        their classes from it (a few seconds less per restart on this machine). Without it, plain starts."""
        if not self.cds:
            return
        warm = os.path.join(self.work, "warmup")
        os.makedirs(warm, exist_ok=True)
        archive = os.path.join(self.work, "bundle.jsa")
        t0 = now()
        p = Proc("warm-up", self.java("-XX:ArchiveClassesAtExit=" + archive, "-jar", self.jar), warm,
                 self.bundle_env(), os.path.join(warm, "warmup.log"))
        try:
            self.wait_ready(p, READY_TIMEOUT)
        except BaseException:  # also SIGTERM/SIGINT (KeyboardInterrupt): the warm-up JVM must not outlive the suite
            p.kill9()
            raise
        p.stop(60)
        if os.path.exists(archive):
            self.cds_file = archive
            log("class-data archive ready (%.0f s)" % (now() - t0))
        else:
            log("no class-data archive (see %s); plain starts" % p.logfile)

    def start_bundle(self, cycle):
        with open(self.bundle_log, "a") as f:
            f.write("=== chaos %s start #%d ===\n" % (stamp(), cycle))
        offset = os.path.getsize(self.bundle_log)
        extra = ["-XX:SharedArchiveFile=" + self.cds_file] if self.cds_file else []
        self.bundle = Proc("bundle", self.java(*extra, "-jar", self.jar), self.bundle_dir, self.bundle_env(),
                           self.bundle_log)
        return LogTail(self.bundle_log, offset)

    def ready(self):
        """The bundle's Camel context is up (the overall health may be DOWN on purpose, e.g. stuck-work checks)."""
        try:
            status, body = http_json("http://127.0.0.1:%d/observe/health" % self.mgmt_port, timeout=2)
        except (OSError, ValueError):
            return False
        if isinstance(body, dict):
            for c in body.get("checks", []):
                if c.get("name") == "context":
                    return c.get("status") == "UP"
        return status == 200

    def wait_ready(self, proc, timeout):
        deadline = now() + timeout
        while now() < deadline:
            if not proc.alive():
                raise Failure("the %s exited by itself (code %s) before it was ready; see %s"
                              % (proc.label, proc.p.returncode, proc.logfile))
            if self.ready():
                return
            time.sleep(0.1)
        raise Failure("the %s was not ready within %d s; see %s" % (proc.label, timeout, proc.logfile))

    def kill_bundle(self, cycle, mode, trigger, t_start):
        alive = self.bundle.alive()
        self.bundle.kill9()
        entry = {"kill": cycle, "mode": mode, "trigger": trigger, "at": stamp(),
                 "after_start_s": round(now() - t_start, 3), "was_alive": alive}
        self.kill_log.append(entry)
        with open(self.bundle_log, "a") as f:
            f.write("=== chaos %s kill -9 #%d (%s: %s, %.3f s after start) ===\n"
                    % (entry["at"], cycle, mode, trigger, entry["after_start_s"]))
        if not alive:
            raise Failure("kill #%d: the bundle had already exited by itself (code %s); see %s"
                          % (cycle, self.bundle.p.returncode, self.bundle_log))

    # -- files ----------------------------------------------------------------------------------------------------

    def drop(self, name):
        """Sidecar first, then the media, each written under a hidden name and renamed."""
        f = self.files[name]
        sidecar = json.dumps({"targetLanguages": f["langs"], "extraData": {"chaosSeed": self.seed}})
        hidden = os.path.join(self.inbox, "." + name + ".vmeg.json")
        with open(hidden, "w") as out:
            out.write(sidecar)
        os.replace(hidden, os.path.join(self.inbox, name + ".vmeg.json"))
        hidden = os.path.join(self.inbox, "." + name)
        with open(os.path.join(self.media_dir, name), "rb") as src, open(hidden, "wb") as out:
            while True:
                block = src.read(1 << 20)
                if not block:
                    break
                out.write(block)
        os.replace(hidden, os.path.join(self.inbox, name))
        self.dropped.append(name)

    def generate_media(self):
        for f in self.plan["files"]:
            path = os.path.join(self.media_dir, f["name"])
            write_media(f, path)
            f["size"] = os.path.getsize(path)
            f["md5"] = digest(path, "md5")
            f["sha256"] = digest(path, "sha256")
        md5s = {f["md5"] for f in self.plan["files"]}
        if len(md5s) != len(self.plan["files"]):
            raise Failure("generated media are not distinct")

    # -- the run --------------------------------------------------------------------------------------------------

    def check_budget(self):
        if now() - self.started > self.max_seconds:
            raise Failure("over the time cap CHAOS_MAX_SECONDS=%d" % self.max_seconds)

    def drop_now(self, n, when):
        for name, w in self.plan["drops"].get(n, []):
            if w == when:
                self.drop(name)

    def cycle(self, n, c):
        """Start the bundle, kill it as the plan says (n = 1-based kill number)."""
        self.drop_now(n, "down")
        t0 = now()
        tail = self.start_bundle(n)
        mode = c["mode"]
        if mode == "boot":
            self.drop_now(n, "up")
            deadline = t0 + c["delay"]
            while now() < deadline and self.bundle.alive():
                time.sleep(0.01)
            trigger = "%.3f s after launch" % c["delay"]
        else:
            self.wait_ready(self.bundle, READY_TIMEOUT)
            self.ready_times.append(now() - t0)
            self.drop_now(n, "up")
            if mode == "ready":
                time.sleep(c["delay"])
                trigger = "%.3f s after ready" % c["delay"]
            else:
                tail.lines()  # start counting at "ready"
                seen, hit, deadline = 0, None, now() + ACTION_TIMEOUT
                pattern = re.compile(ACTIONS[c["action"]]) if mode == "action" else None
                while hit is None and now() < deadline and self.bundle.alive():
                    for line in tail.lines():
                        if line.startswith("=== chaos"):
                            continue
                        seen += 1
                        if (pattern and pattern.search(line)) or (not pattern and seen >= c["lines"]):
                            hit = line
                            break
                    else:
                        time.sleep(0.005)
                if hit is not None:
                    time.sleep(c["delay"])
                    what = c["action"] if pattern else "log line %d after ready" % seen
                    trigger = "%s + %.3f s: %s" % (what, c["delay"], hit.strip()[:160])
                else:
                    trigger = "%s not seen in %d s, timed kill" % (c.get("action") or "%d lines" % c["lines"],
                                                                     ACTION_TIMEOUT)
        self.kill_bundle(n, mode, trigger, t0)

    def run(self):
        log("seed %d (CHAOS_SEED=%d reproduces the plan), %d kills, %d files, work dir %s"
            % (self.seed, self.seed, self.kills, self.nfiles, self.work))
        if not os.path.isfile(self.jar):
            raise Failure("no jar at %s (mvn -B -q package -DskipTests)" % self.jar)
        with open(os.path.join(self.work, "plan.json"), "w") as out:
            json.dump({"seed": self.seed, **self.plan}, out, indent=1)
        self.generate_media()
        self.start_sandbox()
        log("sandbox on %s (tasks take 1 s, data dir %s)" % (self.base_url, self.sandbox_data))
        self.warm_up()
        for name in self.plan["initial"]:
            self.drop(name)
        for i, c in enumerate(self.plan["cycles"], start=1):
            self.check_budget()
            self.cycle(i, c)
            k = self.kill_log[-1]
            log("kill %2d/%d  %-6s %5.2f s after start  %s" % (i, self.kills, c["mode"], k["after_start_s"],
                                                              k["trigger"][:110]))
        for name in self.files:  # a file whose drop cycle never came (tiny CHAOS_KILLS)
            if name not in self.dropped:
                self.drop(name)
        log("last start; letting it finish (at most %d s)" % self.drain_timeout)
        self.start_bundle(len(self.plan["cycles"]) + 1)
        self.drain()
        self.audit_api()
        self.bundle.stop(30)
        self.sandbox.stop(30)
        self.audit_state_file()
        self.audit_files()

    def finished_files(self):
        """True once every file is archived with every language's manifest, and inbox/processing are empty."""
        d = self.bundle_dir
        if os.listdir(self.inbox) or (os.path.isdir(os.path.join(d, "processing"))
                                      and os.listdir(os.path.join(d, "processing"))):
            return False
        for name, f in self.files.items():
            stem = os.path.splitext(name)[0]
            if not self.archived_as(name):
                return False
            for lang in f["langs"]:
                if not os.path.exists(os.path.join(d, "outbox", stem, lang, "manifest.json")):
                    return False
        return True

    def archived_as(self, name):
        """Names in archive/ that may hold this source: its own, or a unique variant (name-2.wav, ...)."""
        archive = os.path.join(self.bundle_dir, "archive")
        stem, ext = os.path.splitext(name)
        variant = re.compile(re.escape(stem) + r"-\d+" + re.escape(ext))
        present = os.listdir(archive) if os.path.isdir(archive) else []
        return sorted((n for n in present if n == name or variant.fullmatch(n)), key=lambda n: (n != name, n))

    def drain(self):
        t0 = now()
        deadline = t0 + self.drain_timeout
        try:
            self.wait_ready(self.bundle, READY_TIMEOUT)
        except Failure as e:
            self.failures.append("final start: %s" % e)
            return
        while now() < deadline:
            if not self.bundle.alive():
                self.failures.append("the bundle exited by itself during the final run (code %s)"
                                     % self.bundle.p.returncode)
                return
            if self.finished_files():
                time.sleep(5)  # a late purchase (a resend at start, the reconciler) would show in the audit
                log("every file finished %.0f s after the last start" % (now() - t0))
                return
            time.sleep(0.5)
        self.failures.append("not every file finished within %d s after the last start (CHAOS_DRAIN_TIMEOUT)"
                             % self.drain_timeout)

    # -- audit: the sandbox -----------------------------------------------------------------------------------------

    def api(self, path, **query):
        q = "&".join("%s=%s" % (k, urllib.parse.quote(str(v))) for k, v in query.items())
        url = "%s/openapi/v1/%s%s" % (self.base_url, path, "?" + q if q else "")
        status, body = http_json(url, {"Authorization": "Bearer " + self.api_key}, timeout=10)
        if status == 200 and isinstance(body, dict) and body.get("code") == 200:
            return status, body.get("data")
        return status, body

    def paged(self, path, **query):
        records, page = [], 1
        while True:
            status, data = self.api(path, currentPage=page, pageSize=PAGE_SIZE, **query)
            if status != 200 or not isinstance(data, dict):
                raise Failure("VMEG %s page %d answered %s %s" % (path, page, status, str(data)[:200]))
            batch = data.get("records") or []
            records.extend(batch)
            if not batch or len(records) >= data.get("total", 0):
                total = data.get("total", 0)
                break
            page += 1
        ids = [r.get("taskId") or r.get("materialId") for r in records]
        if len(set(ids)) != len(ids) or len(ids) != total:
            self.failures.append("VMEG %s paging: %d records, %d distinct, total %s" % (path, len(ids),
                                                                                        len(set(ids)), total))
        return records

    def audit_api(self):
        tasks = []
        for task_type in ("at", "vt"):
            tasks.extend(self.paged("tasks/list", taskType=task_type))
        self.api_tasks = {}
        for t in tasks:
            status, detail = self.api("tasks/detail", taskId=t["taskId"])
            if status != 200 or not isinstance(detail, dict):
                self.failures.append("VMEG tasks/detail %s answered %s %s" % (t["taskId"], status, str(detail)[:200]))
                detail = {}
            self.api_tasks[t["taskId"]] = {"summary": t, "detail": detail}
        self.api_materials = self.paged("assets/material/list")

    def audit_state_file(self):
        """Joins each VMEG task to the content it dubbed (the sandbox's own record, not the bundle's claim) and
        looks for (content, language) bought more than once, or never."""
        path = os.path.join(self.sandbox_data, "state.json")
        try:
            with open(path) as f:
                state = json.load(f)
        except (OSError, ValueError) as e:
            self.failures.append("cannot read the sandbox's %s: %s" % (path, e))
            state = {"tasks": [], "materials": []}
        self.state = state
        by_md5 = {f["md5"]: name for name, f in self.files.items()}
        materials = {m["materialId"]: m for m in state.get("materials", [])}
        for m in self.api_materials:
            materials.setdefault(m["materialId"], m)
        per_hash = {}
        for m in materials.values():
            per_hash.setdefault(m.get("fileHash"), []).append(m["materialId"])
        self.extra_materials = {by_md5.get(h, h): ids for h, ids in per_hash.items() if len(ids) > 1}
        stasks = {t["taskId"]: t for t in state.get("tasks", []) if t.get("event") == "openapi-media-translation"}
        if set(stasks) != set(self.api_tasks):
            self.failures.append("tasks/list (%d tasks) and state.json (%d media tasks) disagree: %s"
                                 % (len(self.api_tasks), len(stasks), sorted(set(stasks) ^ set(self.api_tasks))))
        self.tasks = []
        for tid in sorted(set(stasks) | set(self.api_tasks)):
            st = stasks.get(tid, {})
            detail = self.api_tasks.get(tid, {}).get("detail", {})
            status = detail.get("status") or st.get("status")
            result = detail.get("result") or st.get("result") or {}
            work = st.get("work") or {}
            target = (result.get("asrScripts", {}).get("language", {}).get("target") if isinstance(result, dict)
                      else None) or work.get("target")
            file, how = None, None
            dubbed = self.sandbox_deliverable(tid)
            if dubbed:
                file, how = by_md5.get(digest(dubbed, "md5")), "dubbed bytes"
            if file is None and work.get("materialId") in materials:
                file, how = by_md5.get(materials[work["materialId"]].get("fileHash")), "material"
            claimed = (st.get("extraData") or {}).get("vmegCamel", {})
            if file is None and claimed.get("file") in self.files:
                file, how = claimed["file"], "bundle's extraData"
            self.tasks.append({"taskId": tid, "status": status, "target": target, "file": file, "how": how,
                               "createdAt": st.get("createdAt") or self.api_tasks.get(tid, {}).get(
                                   "summary", {}).get("createdAt"), "cost": st.get("cost"),
                               "taskRef": claimed.get("taskRef"), "jobId": claimed.get("jobId"),
                               "claimedFile": claimed.get("file")})
        spent = SANDBOX_CREDITS - state.get("credits", SANDBOX_CREDITS)
        charged = sum(t["cost"] or 0 for t in self.tasks)
        self.credits = (spent, charged)

    def sandbox_deliverable(self, task_id):
        d = os.path.join(self.sandbox_data, "deliverables", task_id)
        if os.path.isdir(d):
            for n in sorted(os.listdir(d)):
                if n.startswith("dubbed."):
                    return os.path.join(d, n)
        return None

    # -- audit: the bundle's folders --------------------------------------------------------------------------------

    def audit_files(self):
        d = self.bundle_dir
        groups = {}
        for t in self.tasks:
            groups.setdefault((t["file"], t["target"]), []).append(t)
        self.duplicates = {k: v for k, v in groups.items() if len(v) > 1}
        self.problems = {}  # file name -> list of problems (for the evidence section)

        def problem(name, text):
            self.problems.setdefault(name, []).append(text)
            self.failures.append("%s: %s" % (name, text) if name else text)

        for (name, lang), ts in sorted(self.duplicates.items(), key=str):
            problem(name, "DOUBLE PURCHASE of %s: %d VMEG tasks %s" % (
                lang, len(ts), ", ".join("%s (%s, created %s, taskRef %s, job %s)"
                                         % (t["taskId"], t["status"], t["createdAt"], t["taskRef"], t["jobId"])
                                         for t in ts)))
        for (name, lang), ts in sorted(groups.items(), key=str):
            if name is None or lang not in self.files[name]["langs"]:
                problem(name, "VMEG task(s) nobody asked for: %s for %s" % ([t["taskId"] for t in ts], lang))
            for t in ts:
                if t["status"] != "finished":
                    problem(name, "VMEG task %s (%s) is %s" % (t["taskId"], lang, t["status"]))
        self.complete = 0
        self.expected = 0
        self.stranded = []
        accounted = set()  # names in archive/ that hold a source (or its sidecar)
        for name, f in sorted(self.files.items()):
            stem = os.path.splitext(name)[0]
            for lang in f["langs"]:
                self.expected += 1
                ts = groups.get((name, lang), [])
                if not ts:
                    problem(name, "no VMEG task for %s (never bought)" % lang)
                ok = self.check_language(name, stem, lang, ts, problem)
                self.complete += 1 if ok else 0
            top = os.path.join(d, "outbox", stem)
            leftovers = [n for n in (sorted(os.listdir(top)) if os.path.isdir(top) else [])
                         if n.startswith(".") or n.endswith(".part")]
            if leftovers:
                problem(name, "part files left behind in outbox/%s: %s" % (stem, leftovers))
            job = os.path.join(d, "outbox", stem, "job.json")
            try:
                with open(job) as fh:
                    state = json.load(fh).get("state")
                if state != "COMPLETED":
                    problem(name, "outbox/%s/job.json says %s" % (stem, state))
            except (OSError, ValueError) as e:
                problem(name, "outbox/%s/job.json: %s" % (stem, e))
            holders = [n for n in self.archived_as(name)
                       if digest(os.path.join(d, "archive", n), "md5") == f["md5"]]
            accounted.update(holders[:1] + [n + ".vmeg.json" for n in holders[:1]])
            if not holders:
                self.stranded.append(name)
                problem(name, "source not in archive/ (now at: %s)" % (self.where(name) or "nowhere"))
            elif holders[0] != name:
                problem(name, "archived as archive/%s although no other file holds archive/%s (a crash "
                              "between recording and making the move?)" % (holders[0], name))
        for folder in ("inbox", "processing", "failed"):
            p = os.path.join(d, folder)
            for n in sorted(os.listdir(p)) if os.path.isdir(p) else []:
                detail = ""
                if n.endswith(".error.json"):
                    try:
                        with open(os.path.join(p, n)) as fh:
                            e = json.load(fh)
                        detail = " (%s: %s)" % (e.get("error"), str(e.get("message"))[:200])
                    except (OSError, ValueError):
                        pass
                owner = next((x for x in self.files if n.startswith(x)), None)
                problem(owner, "left in %s/: %s%s" % (folder, n, detail))
        for n in sorted(os.listdir(os.path.join(d, "archive"))) if os.path.isdir(os.path.join(d, "archive")) else []:
            if n not in accounted:
                problem(None, "unexpected file in archive/: %s (a file taken twice?)" % n)

    def where(self, name):
        for folder in ("inbox", "processing", "failed", "archive"):
            if os.path.exists(os.path.join(self.bundle_dir, folder, name)):
                return folder + "/"
        return None

    def check_language(self, name, stem, lang, tasks, problem):
        d = os.path.join(self.bundle_dir, "outbox", stem, lang)
        present = sorted(os.listdir(d)) if os.path.isdir(d) else []
        leftovers = [n for n in present if n.startswith(".") or n.endswith(".part")]
        if leftovers:
            problem(name, "%s: part files left behind in outbox/%s/%s: %s" % (lang, stem, lang, leftovers))
        try:
            with open(os.path.join(d, "manifest.json")) as fh:
                m = json.load(fh)
        except (OSError, ValueError) as e:
            problem(name, "%s: no readable manifest (%s)" % (lang, e))
            return False
        ok = not leftovers
        if m.get("status") != "finished":
            problem(name, "%s: manifest status %s" % (lang, m.get("status")))
            ok = False
        if tasks and m.get("vmegTaskId") not in {t["taskId"] for t in tasks}:
            problem(name, "%s: manifest names VMEG task %s, VMEG has %s" % (lang, m.get("vmegTaskId"),
                                                                             [t["taskId"] for t in tasks]))
            ok = False
        listed = {"manifest.json"}
        roles = {}
        for e in m.get("files", []):
            listed.add(e.get("name"))
            roles.setdefault(e.get("role"), []).append(e)
            p = os.path.join(d, e.get("name", ""))
            if not os.path.isfile(p):
                problem(name, "%s: %s listed in the manifest but missing" % (lang, e.get("name")))
                ok = False
                continue
            size, sha = os.path.getsize(p), digest(p, "sha256")
            if size != e.get("sizeBytes") or sha != e.get("sha256"):
                problem(name, "%s: %s is %d bytes sha256 %s, manifest says %s bytes %s"
                        % (lang, e.get("name"), size, sha[:16], e.get("sizeBytes"), str(e.get("sha256"))[:16]))
                ok = False
        media = [e for r, es in roles.items() if r not in ("subtitles", "result") for e in es]
        if not media:
            problem(name, "%s: no dubbed media in the manifest (roles %s)" % (lang, sorted(roles, key=str)))
            ok = False
        elif not any(e.get("sha256") == self.files[name]["sha256"] for e in media):
            problem(name, "%s: the dubbed media is not the sandbox's copy of the source" % lang)
            ok = False
        subs = {os.path.splitext(e.get("name", ""))[1] for e in roles.get("subtitles", [])}
        if not {".srt", ".vtt"} <= subs:
            problem(name, "%s: subtitles %s, expected .srt and .vtt" % (lang, sorted(subs)))
            ok = False
        if "result.json" not in {e.get("name") for e in roles.get("result", [])}:
            problem(name, "%s: result.json not in the manifest" % lang)
            ok = False
        else:
            try:
                with open(os.path.join(d, "result.json")) as fh:
                    json.load(fh)
            except (OSError, ValueError) as e:
                problem(name, "%s: result.json unreadable (%s)" % (lang, e))
                ok = False
        stray = sorted(set(present) - listed - set(leftovers))
        if stray:
            problem(name, "%s: files not in the manifest: %s" % (lang, stray))
            ok = False
        return ok

    # -- evidence and report ----------------------------------------------------------------------------------------

    def ledger_rows(self):
        """Job and task rows of the H2 ledger (the bundle is stopped, so the file is free)."""
        url = "jdbc:h2:file:" + os.path.join(self.bundle_dir, "data", "ledger")
        queries = [
            "SELECT j.file_name, j.id AS job_id, j.state AS job_state, j.location, t.target_language, t.attempt, "
            "t.state AS task_state, t.vmeg_task_id, t.error, t.updated_at FROM job j LEFT JOIN task t "
            "ON t.job_id = j.id ORDER BY j.file_name, j.created_at, t.target_language, t.attempt",
            "SELECT e.id, e.vmeg_task_id, e.origin, e.state, e.attempts, e.error, e.received_at, e.updated_at "
            "FROM webhook_event e ORDER BY e.id"]
        out = []
        for sql in queries:
            try:
                r = subprocess.run(["java", "-cp", self.jar, "org.h2.tools.Shell", "-url", url, "-user", "sa",
                                    "-password", "", "-sql", sql], capture_output=True, text=True, timeout=60)
                out.append((r.stdout + r.stderr).strip())
            except (OSError, subprocess.TimeoutExpired) as e:
                out.append("ledger not readable: %s" % e)
        return "\n".join(out)

    def evidence(self):
        out = []
        lines = []
        if os.path.exists(self.bundle_log):
            with open(self.bundle_log, errors="replace") as fh:
                lines = fh.read().splitlines()
        for name in sorted(n for n in self.problems if n):
            ids = {name}
            for t in self.tasks:
                if t["file"] == name or t["claimedFile"] == name:
                    ids.update(x for x in (t["taskId"], t["jobId"], t["taskRef"]) if x)
            out.append("--- %s (languages %s): VMEG tasks %s" % (
                name, self.files[name]["langs"],
                [(t["target"], t["taskId"], t["status"], t["createdAt"]) for t in self.tasks if t["file"] == name]))
            relevant, marker = [], "before the first start"
            for line in lines:
                if line.startswith("=== chaos"):
                    marker = line
                elif any(i in line for i in ids):
                    relevant.append((marker, line))
            if relevant:
                out.append("    its last activity came after: %s" % relevant[-1][0])
            for marker, line in relevant[-25:]:
                out.append("    | " + line[:300])
        return out

    def report(self, error=None):
        elapsed = now() - self.started
        modes = {}
        for k in self.kill_log:
            modes[k["mode"]] = modes.get(k["mode"], 0) + 1
        tasks = getattr(self, "tasks", [])
        lines = [
            "seed %d (reproduce: CHAOS_SEED=%d CHAOS_KILLS=%d CHAOS_FILES=%d bash .ci/chaos)"
            % (self.seed, self.seed, self.kills, self.nfiles),
            "kills: %d (%s)" % (len(self.kill_log), ", ".join("%s %d" % kv for kv in sorted(modes.items()))),
            "files: %d dropped of %d; languages: %d (file, language) pairs"
            % (len(self.dropped), self.nfiles, sum(len(f["langs"]) for f in self.files.values())),
            "VMEG tasks: %d (%s)" % (len(tasks), ", ".join("%s %d" % (s, sum(1 for t in tasks if t["status"] == s))
                                                         for s in sorted({str(t["status"]) for t in tasks}))),
            "duplicates found: %d" % len(getattr(self, "duplicates", {})),
            "stranded files (source not archived): %d" % len(getattr(self, "stranded", [])),
            "results complete: %d/%d" % (getattr(self, "complete", 0), getattr(self, "expected", 0)),
        ]
        if hasattr(self, "credits"):
            lines.append("credits spent %d, task costs %d" % self.credits)
        if getattr(self, "extra_materials", None):
            lines.append("note: content uploaded as more than one material (no charge): %s" % self.extra_materials)
        if self.ready_times:
            lines.append("restarts: ready after %.1f s on average (%.1f-%.1f)" % (
                sum(self.ready_times) / len(self.ready_times), min(self.ready_times), max(self.ready_times)))
        lines.append("time: %.0f s; work dir %s" % (elapsed, self.work))
        failures = list(self.failures) + ([error] if error else [])
        if failures:
            lines.append("FAILED: %d problem(s)" % len(failures))
            lines += ["  - " + f for f in failures]
            if error and os.path.exists(self.bundle_log):
                with open(self.bundle_log, errors="replace") as fh:
                    lines.append("last lines of the bundle log:")
                    lines += ["    | " + x[:300] for x in fh.read().splitlines()[-40:]]
            if getattr(self, "problems", None) and any(self.problems):
                lines.append("evidence (bundle log lines naming the file, its job, tasks and VMEG ids):")
                lines += self.evidence()
                lines.append("ledger (job x task, then webhook_event):")
                lines += ["    " + x for x in self.ledger_rows().splitlines()]
        with open(os.path.join(self.work, "kills.json"), "w") as fh:
            json.dump(self.kill_log, fh, indent=1)
        with open(os.path.join(self.work, "report.txt"), "w") as fh:
            fh.write("\n".join(lines) + "\n")
        for line in lines:
            log(line)
        return not failures

    def cleanup(self):
        for p in (self.bundle, self.sandbox):
            if p is not None and p.alive():
                p.kill9()


def main():
    c = Chaos()

    def on_signal(signum, _frame):
        raise KeyboardInterrupt("signal %d" % signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    error = None
    try:
        c.run()
    except Failure as e:
        error = str(e)
    except KeyboardInterrupt as e:
        error = "interrupted (%s)" % (e or "Ctrl-C")
    finally:
        c.cleanup()
    ok = c.report(error)
    if ok:
        log("OK: no double purchase, every result complete, nothing stranded")
        if not c.keep:
            subprocess.run(["rm", "-rf", c.work])
        return 0
    log("FAILED (the work dir %s keeps the logs, the ledger and the sandbox's state.json)" % c.work)
    return 1


if __name__ == "__main__":
    sys.exit(main())
