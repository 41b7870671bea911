#!/usr/bin/env python3
"""fault_driver.py - fault-injection and load tests of cpet's MPI sweep (issue 4).

Modes (each prints exactly one line of figures starting with "FAULT"):
  kill-worker   kill -9 of a random worker rank at a random moment of the sweep
  kill-writer   kill -9 of the writer rank at a random moment
  signals       SIGUSR1 and SIGTERM sent to mpirun mid-sweep
  enospc        a full disk made by an LD_PRELOAD shim (write/pwrite fail with ENOSPC after N
                bytes to the sweep's files)
  load          100,000 runs of workload A with the journal on and off: runs/s, writer peak RSS

Every fault trial: start `mpirun -np 3 fault_sweep` (2 workers + writer), which logs the runs
the writer acknowledges ("ACK <run>", written by the library right after the journal fsync,
CPET_ACK_FD), inject the fault, then
  1. `cpet recover` (or, after a signal, the published file itself): the file opens, every
     acknowledged run is in it and completed, and every completed run equals the fault-free
     reference (`cpet dump --json`, per-run leaves; runs-table name/idx/summary; parameters);
  2. the sweep again with --resume: it computes exactly the runs not in the journal, exits 0,
     and the final file equals the reference (every run completed once, journal removed).
lost = acknowledged runs missing or wrong after step 1. Exit status 0 only if every trial
passed; 77 = skipped (reason printed). The seed is printed; --seed repeats a sequence.
"""
import argparse
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time

NP = 3
RUN_RE = re.compile(r"run_(\d{8})")
# Exit codes of fault_sweep (documented in mpi_tests/fault_sweep.c).
EXIT = {"CPET_OK": 0, "CPET_ERR_INTERRUPTED": 3, "CPET_ERR_NOSPACE": 4, "CPET_ERR_IO": 5,
        "CPET_ERR_HDF5": 6}


class Ctx:
    def __init__(self, a):
        self.a = a
        self.mpiexec = [a.mpiexec, "-n", str(NP)] + shlex.split(a.mpiexec_flags or "")
        self.rng = random.Random(a.seed)
        self.failures = []
        self.ref = None

    def fail(self, trial, msg):
        self.failures.append(f"trial {trial}: {msg}")
        print(f"  FAIL trial {trial}: {msg}", flush=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def dump(ctx, path):
    """The 'fault' trajectory of `path` as cpet dump --json reads it, or (None, error)."""
    r = sh([ctx.a.cpet, "dump", path, "--json"])
    if r.returncode != 0:
        return None, f"cpet dump {os.path.basename(path)} failed ({r.returncode}): {r.stderr.strip()}"
    try:
        return json.loads(r.stdout)["trajectories"]["fault"], None
    except (ValueError, KeyError) as e:
        return None, f"dump of {path} unreadable: {e}"


def summarize(traj):
    """Per-run leaves and groups, the rest of the tree, and the runs table."""
    per_run, other = {}, {}
    for name, leaf in traj["leaves"].items():
        m = RUN_RE.search(name)
        if m:
            per_run.setdefault(int(m.group(1)), {})[name] = leaf
        else:
            other[name] = leaf
    groups = {}
    for name in traj["groups"]:
        m = RUN_RE.search(name)
        if m:
            groups.setdefault(int(m.group(1)), set()).add(name)
    runs = {r["idx"]: r for r in traj["runs"]}
    completed = {i for i, r in runs.items() if r["completed"]}
    return {"per_run": per_run, "groups": groups, "other": other, "runs": runs,
            "completed": completed, "length": traj["length"],
            "explored": traj["explored_parameters"]}


def compare(ref, got, acked):
    """(errors, lost, completed): `got` against the reference restricted to its completed runs."""
    errs = []
    if got["length"] != ref["length"]:
        errs.append(f"length {got['length']} != {ref['length']}")
    if got["other"] != ref["other"]:
        diff = sorted(k for k in set(ref["other"]) | set(got["other"])
                      if ref["other"].get(k) != got["other"].get(k))
        errs.append(f"non-run leaves differ: {diff[:5]}")
    if got["explored"] != ref["explored"]:
        errs.append("explored parameters differ")
    for i, r in got["runs"].items():
        rr = ref["runs"].get(i)
        # Rows of runs not completed hold pypet's placeholders ("Not yet my friend!").
        keys = ("name", "idx", "parameter_summary") if r["completed"] else ("name", "idx")
        if not rr or any(r[k] != rr[k] for k in keys):
            errs.append(f"runs-table row {i} differs")
            break
    lost = 0
    for i in sorted(acked):
        if i not in got["completed"] or got["per_run"].get(i) != ref["per_run"].get(i):
            lost += 1
            if lost <= 3:
                errs.append(f"acknowledged run {i} lost (completed={i in got['completed']})")
    for i in sorted(got["completed"]):
        if got["per_run"].get(i) != ref["per_run"].get(i):
            errs.append(f"completed run {i} differs from the reference")
            break
    for i in set(got["per_run"]) - got["completed"]:
        errs.append(f"run {i} has results but is not completed")
        break
    return errs, lost, got["completed"]


class Sweep:
    """One mpirun of fault_sweep in `d` (data under d/data, logs/pids/acks in d)."""

    def __init__(self, ctx, d, tag, extra=(), env=None, nruns=None, sleep_us=None):
        self.ctx, self.d, self.tag = ctx, d, tag
        self.file = os.path.join(d, "data", "sweep.hdf5")
        self.ack = os.path.join(d, f"ack_{tag}.txt")
        self.pids = os.path.join(d, f"pids_{tag}")
        os.makedirs(self.pids, exist_ok=True)
        os.makedirs(os.path.join(d, "data"), exist_ok=True)
        n = nruns or ctx.a.runs
        s = ctx.a.sleep_us if sleep_us is None else sleep_us
        cmd = ctx.mpiexec + [ctx.a.sweep, self.file, str(n), "--sleep-us", str(s),
                             "--ack", self.ack, "--pids", self.pids] + list(extra)
        self.out = open(os.path.join(d, f"out_{tag}.txt"), "w")
        self.err = open(os.path.join(d, f"err_{tag}.txt"), "w")
        self.t0 = time.monotonic()
        self.p = subprocess.Popen(cmd, stdout=self.out, stderr=self.err, env=env,
                                  start_new_session=True)
        self.rc = None

    def wait_pids(self, timeout=30):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            got = {}
            for r in range(NP):
                try:
                    with open(os.path.join(self.pids, f"rank{r}.pid")) as f:
                        pid, role = f.read().split()
                        got[r] = (int(pid), role)
                except (OSError, ValueError):
                    break
            if len(got) == NP:
                return got
            if self.p.poll() is not None:
                return None
            time.sleep(0.01)
        return None

    def wait(self, timeout=60):
        try:
            self.rc = self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.p.pid, signal.SIGKILL)
            self.p.wait()
            self.rc = "hang"
        self.out.close()
        self.err.close()
        return self.rc

    def acked(self):
        try:
            with open(self.ack) as f:
                return {int(l.split()[1]) for l in f if l.startswith("ACK ")}
        except OSError:
            return set()

    def statuses(self):
        st = {}
        for r in range(NP):
            try:
                with open(os.path.join(self.pids, f"rank{r}.status")) as f:
                    st[r] = f.read().split()[0]
            except (OSError, IndexError):
                st[r] = None
        return st

    def calls(self):
        with open(os.path.join(self.d, f"out_{self.tag}.txt")) as f:
            for line in f:
                if line.startswith("CALLS "):
                    return int(line.split()[1])
        return None

    def stderr_tail(self):
        with open(os.path.join(self.d, f"err_{self.tag}.txt")) as f:
            return " | ".join(f.read().strip().splitlines()[-3:])


def fresh_dir(ctx, name):
    d = os.path.join(ctx.a.workdir, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def make_reference(ctx, extra=()):
    d = fresh_dir(ctx, "reference")
    s = Sweep(ctx, d, "ref", extra=extra)
    pids = s.wait_pids()
    t_start = time.monotonic()
    rc = s.wait(120)
    dur = time.monotonic() - t_start
    if rc != 0 or pids is None:
        sys.exit(f"fault: the fault-free reference sweep failed ({rc}): {s.stderr_tail()}")
    traj, err = dump(ctx, s.file)
    if err:
        sys.exit(f"fault: {err}")
    ref = summarize(traj)
    if len(ref["completed"]) != ctx.a.runs or len(s.acked()) != ctx.a.runs:
        sys.exit(f"fault: reference has {len(ref['completed'])} completed runs, "
                 f"{len(s.acked())} acknowledged, of {ctx.a.runs}")
    ctx.ref, ctx.sweep_time = ref, dur
    print(f"  reference: {ctx.a.runs} runs in {dur:.2f} s (after start-up)", flush=True)


def recover_and_check(ctx, trial, d, acked, out=None):
    """Runs cpet recover; returns (ok, lost, journaled runs)."""
    data = os.path.join(d, "data", "sweep.hdf5")
    journal = data + ".journal"
    if not os.path.exists(journal):
        if acked:
            ctx.fail(trial, f"{len(acked)} runs acknowledged but no journal")
            return False, len(acked), set()
        return True, 0, set()  # killed before the journal existed: nothing acknowledged
    cmd = [ctx.a.cpet, "recover", journal if out else data] + (["--out", out] if out else [])
    r = sh(cmd)
    target = out or data
    if r.returncode != 0:
        ctx.fail(trial, f"cpet recover failed ({r.returncode}): {r.stderr.strip()}")
        return False, len(acked), set()
    traj, err = dump(ctx, target)
    if err:
        ctx.fail(trial, "recovered file: " + err)
        return False, len(acked), set()
    errs, lost, completed = compare(ctx.ref, summarize(traj), acked)
    for e in errs:
        ctx.fail(trial, "recovered file: " + e)
    return not errs, lost, completed


def resume_and_check(ctx, trial, d, journaled, env=None):
    s = Sweep(ctx, d, f"resume{trial}", extra=["--resume"], env=env, sleep_us=0)
    rc = s.wait(120)
    ok = True
    if rc != 0:
        ctx.fail(trial, f"resume exited {rc}: {s.stderr_tail()}")
        return False
    calls = s.calls()
    want = ctx.a.runs - len(journaled)
    if calls != want:
        ctx.fail(trial, f"resume computed {calls} runs, expected {want} (not journaled)")
        ok = False
    traj, err = dump(ctx, s.file)
    if err:
        ctx.fail(trial, "final file: " + err)
        return False
    got = summarize(traj)
    errs, lost, completed = compare(ctx.ref, got, set(range(ctx.a.runs)))
    if len(completed) != ctx.a.runs:
        errs.append(f"final file has {len(completed)} of {ctx.a.runs} runs completed")
    if os.path.exists(s.file + ".journal") or os.path.exists(s.file + ".partial"):
        errs.append("journal or .partial left after a complete sweep")
    for e in errs[:5]:
        ctx.fail(trial, "final file: " + e)
    return ok and not errs


def check_published(ctx, trial, path, acked):
    traj, err = dump(ctx, path)
    if err:
        ctx.fail(trial, "published file: " + err)
        return len(acked), set()
    errs, lost, completed = compare(ctx.ref, summarize(traj), acked)
    for e in errs:
        ctx.fail(trial, "published file: " + e)
    return lost, completed


def mode_kill(ctx, who):
    make_reference(ctx)
    tot = {"trials": 0, "acknowledged": 0, "lost": 0, "recovered": 0, "resumed": 0, "late": 0}
    attempts = 0
    while tot["trials"] < ctx.a.trials and attempts < 3 * ctx.a.trials:
        attempts += 1
        trial = tot["trials"]
        d = fresh_dir(ctx, f"trial{trial}")
        s = Sweep(ctx, d, "run")
        pids = s.wait_pids()
        if pids is None:
            s.wait(30)
            ctx.fail(trial, f"sweep ended before its ranks started: {s.stderr_tail()}")
            tot["trials"] += 1
            continue
        delay = ctx.rng.uniform(0.0, ctx.sweep_time * 0.95)
        time.sleep(delay)
        if s.p.poll() is not None:  # finished before the kill: not a fault trial
            s.wait(5)
            tot["late"] += 1
            continue
        if who == "writer":
            rank = NP - 1
        else:
            rank = ctx.rng.randrange(NP - 1)
        try:
            os.kill(pids[rank][0], signal.SIGKILL)
        except ProcessLookupError:
            pass
        rc = s.wait(60)
        if rc == 0:  # the sweep had completed when the kill landed: not a fault trial
            tot["late"] += 1
            continue
        if rc == "hang":
            ctx.fail(trial, "mpirun did not end within 60 s after the kill")
        acked = s.acked()
        if not os.path.exists(s.file + ".journal") and os.path.exists(s.file):
            # The sweep had completed (file published, journal removed) before the kill
            # landed: not a fault trial, but the published file must hold every run.
            check_published(ctx, trial, s.file, acked)
            tot["late"] += 1
            continue
        out = None if who == "writer" else os.path.join(d, "recovered.hdf5")
        ok, lost, journaled = recover_and_check(ctx, trial, d, acked, out)
        res = resume_and_check(ctx, trial, d, journaled)
        tot["trials"] += 1
        tot["acknowledged"] += len(acked)
        tot["lost"] += lost
        tot["recovered"] += len(journaled)
        tot["resumed"] += res
        print(f"  trial {trial}: kill -9 {pids[rank][1]} rank {rank} at {delay:.3f} s, "
              f"mpirun rc {rc}, acknowledged {len(acked)}, recovered {len(journaled)}, "
              f"lost {lost}, resume {'ok' if res else 'FAILED'}", flush=True)
    if tot["trials"] < ctx.a.trials:
        ctx.failures.append(f"only {tot['trials']} valid trials in {attempts} attempts")
    return tot


def mode_signals(ctx):
    """SIGUSR1 and SIGTERM to mpirun once the sweep runs (first ACK seen)."""
    make_reference(ctx)
    tot = {"trials": 0, "acknowledged": 0, "lost": 0, "recovered": 0, "resumed": 0,
           "clean_exit": 0, "late": 0}
    kinds = ["USR1", "TERM"] * ctx.a.trials
    attempts = 0
    while kinds and attempts < 4 * ctx.a.trials:
        attempts += 1
        kind = kinds[0]
        trial = tot["trials"]
        d = fresh_dir(ctx, f"trial{trial}")
        s = Sweep(ctx, d, "run")
        if s.wait_pids() is None:
            s.wait(30)
            ctx.fail(trial, "sweep ended before its ranks started")
            kinds.pop(0)
            tot["trials"] += 1
            continue
        end = time.monotonic() + 30
        while not s.acked() and s.p.poll() is None and time.monotonic() < end:
            time.sleep(0.005)
        delay = ctx.rng.uniform(0.0, ctx.sweep_time * 0.5)
        time.sleep(delay)
        if s.p.poll() is not None:
            s.wait(5)
            tot["late"] += 1
            continue
        kinds.pop(0)
        s.p.send_signal(getattr(signal, "SIG" + kind))
        rc = s.wait(60)
        acked = s.acked()
        st = s.statuses()
        if set(st.values()) == {"CPET_OK"}:
            # mpirun passes SIGTERM on ~1 s late: the sweep had completed. Not a signal trial,
            # but the published file must hold every run.
            check_published(ctx, trial, s.file, acked)
            kinds.insert(0, kind)
            tot["late"] += 1
            continue
        # Documented: every rank returns CPET_ERR_INTERRUPTED (exit 3), the file is published.
        clean = all(v == "CPET_ERR_INTERRUPTED" for v in st.values())
        published = os.path.exists(s.file) and not os.path.exists(s.file + ".partial")
        if not clean:
            ctx.fail(trial, f"SIG{kind}: rank statuses {st} (want CPET_ERR_INTERRUPTED on all)")
        if kind == "USR1" and rc != EXIT["CPET_ERR_INTERRUPTED"]:
            ctx.fail(trial, f"SIGUSR1: mpirun exited {rc}, want 3")
        if not published:
            ctx.fail(trial, f"SIG{kind}: no published file")
        lost, completed = len(acked), set()
        if published:
            lost, completed = check_published(ctx, trial, s.file, acked)
        # The journal holds exactly what the published file holds; recover agrees.
        ok, rlost, journaled = recover_and_check(ctx, trial, d, acked,
                                                 os.path.join(d, "recovered.hdf5"))
        if ok and journaled != completed:
            ctx.fail(trial, f"published file has {len(completed)} runs, journal {len(journaled)}")
        res = resume_and_check(ctx, trial, d, journaled)
        tot["trials"] += 1
        tot["acknowledged"] += len(acked)
        tot["lost"] += max(lost, rlost)
        tot["recovered"] += len(completed)
        tot["resumed"] += res
        tot["clean_exit"] += clean and published
        print(f"  trial {trial}: SIG{kind} to mpirun {delay:.3f} s after the first ACK, mpirun rc "
              f"{rc}, ranks {sorted(set(st.values()), key=str)}, acknowledged {len(acked)}, "
              f"published with {len(completed)} runs, lost {max(lost, rlost)}, "
              f"resume {'ok' if res else 'FAILED'}", flush=True)
    if kinds:
        ctx.failures.append(f"{len(kinds)} signal trials could not be placed mid-sweep")
    return tot


def mode_enospc(ctx):
    if ctx.a.sanitized:
        print("SKIP: the LD_PRELOAD write-failure shim cannot be combined with AddressSanitizer "
              "(ASan must be the first preloaded library); run fault_enospc in a normal build")
        sys.exit(77)
    make_reference(ctx, extra=["--keep-journal"])
    # Bytes a fault-free sweep writes to its files: skeleton, its copy, journal, the file.
    data = os.path.join(ctx.a.workdir, "reference", "data", "sweep.hdf5")
    total = sum(os.path.getsize(data + ext) for ext in ("", ".journal", ".skel", ".skel"))
    fractions = [0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.2, 0.4, 0.6, 0.8]
    tot = {"trials": 0, "acknowledged": 0, "lost": 0, "recovered": 0, "resumed": 0,
           "clean_error": 0}
    for trial in range(ctx.a.trials):
        d = fresh_dir(ctx, f"trial{trial}")
        limit = int(total * fractions[trial % len(fractions)])
        env = dict(os.environ)
        env["LD_PRELOAD"] = ctx.a.shim
        env["CPET_SHIM_MATCH"] = os.path.join(d, "data") + "/"
        env["CPET_SHIM_LIMIT"] = str(limit)
        s = Sweep(ctx, d, "run", env=env, extra=["--keep-journal"])
        rc = s.wait(90)
        acked = s.acked()
        st = s.statuses()
        vals = set(st.values())
        # Documented: a clean CPET_ERR_NOSPACE on every rank, exit 4, no signal death.
        clean = vals == {"CPET_ERR_NOSPACE"} and rc == EXIT["CPET_ERR_NOSPACE"]
        if rc == 0 and vals == {"CPET_OK"}:
            ctx.fail(trial, f"limit {limit} of {total} bytes: the sweep did not hit the limit")
        elif not clean:
            ctx.fail(trial, f"limit {limit}: mpirun rc {rc}, ranks {st} (want CPET_ERR_NOSPACE, "
                     f"exit 4): {s.stderr_tail()}")
        ok, lost, journaled = recover_and_check(ctx, trial, d, acked,
                                                os.path.join(d, "recovered.hdf5"))
        res = resume_and_check(ctx, trial, d, journaled)
        tot["trials"] += 1
        tot["acknowledged"] += len(acked)
        tot["lost"] += lost
        tot["recovered"] += len(journaled)
        tot["resumed"] += res
        tot["clean_error"] += clean
        print(f"  trial {trial}: ENOSPC after {limit} bytes, mpirun rc {rc}, ranks "
              f"{sorted(vals, key=str)}, acknowledged {len(acked)}, recovered {len(journaled)}, "
              f"lost {lost}, resume {'ok' if res else 'FAILED'}", flush=True)
    return tot


def mode_load(ctx):
    n = ctx.a.runs
    # Free space first: ~12 kB per run of workload A in the pypet layout + journal + skeleton.
    need = n * 14000 + (200 << 20)
    free = shutil.disk_usage(ctx.a.workdir).free
    if free < need:
        print(f"SKIP: {free >> 20} MiB free in {ctx.a.workdir}, the load test needs "
              f"{need >> 20} MiB")
        sys.exit(77)
    figs = {}
    for journal in (1, 0):
        d = fresh_dir(ctx, f"load_j{journal}")
        extra = ["--stats"] + ([] if journal else ["--no-journal"])
        s = Sweep(ctx, d, "run", extra=extra, nruns=n, sleep_us=0)
        rc = s.wait(3000)
        line = ""
        with open(os.path.join(d, "out_run.txt")) as f:
            for l in f:
                if l.startswith("SWEEP "):
                    line = l.strip()
        if rc != 0 or not line:
            ctx.failures.append(f"journal={journal}: sweep exited {rc}: {s.stderr_tail()}")
            continue
        kv = dict(x.split("=", 1) for x in line.split()[1:])
        r = sh([ctx.a.cpet, "info", s.file])
        m = re.search(r"runs: (\d+) of (\d+) completed", r.stdout)
        if r.returncode != 0 or not m or int(m.group(1)) != n:
            ctx.failures.append(f"journal={journal}: file check: {r.stdout[:200]} {r.stderr}")
        figs[journal] = kv
        print(f"  journal={journal}: {line}", flush=True)
        shutil.rmtree(os.path.join(d, "data"), ignore_errors=True)
    on, off = figs.get(1, {}), figs.get(0, {})
    ratio = (float(on["runs_per_s"]) / float(off["runs_per_s"])) if on and off else 0.0
    print(f"FAULT load runs={n} journal_on_runs_per_s={on.get('runs_per_s')} "
          f"journal_off_runs_per_s={off.get('runs_per_s')} ratio={ratio:.2f} "
          f"writer_vmhwm_kb_on={on.get('writer_vmhwm_kb')} "
          f"writer_vmhwm_kb_off={off.get('writer_vmhwm_kb')} "
          f"result={'PASS' if not ctx.failures else 'FAIL'}")
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["kill-worker", "kill-writer", "signals", "enospc", "load"])
    ap.add_argument("--sweep", required=True, help="fault_sweep executable")
    ap.add_argument("--cpet", required=True, help="cpet command-line tool")
    ap.add_argument("--mpiexec", default="mpiexec")
    ap.add_argument("--mpiexec-flags", default="--oversubscribe")
    ap.add_argument("--shim", default="", help="libcpet_enospc_shim.so")
    ap.add_argument("--workdir", default=".")
    ap.add_argument("--trials", type=int, default=10)
    ap.add_argument("--runs", type=int, default=None)
    ap.add_argument("--sleep-us", type=int, default=4000, help="compute time per run")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--sanitized", action="store_true", help="an ASan build (skips the shim)")
    a = ap.parse_args()
    if a.seed is None:
        a.seed = random.SystemRandom().randrange(1 << 30)
    if a.runs is None:
        a.runs = 100000 if a.mode == "load" else 500
    a.workdir = os.path.abspath(a.workdir)
    for exe in (a.sweep, a.cpet):
        if not os.access(exe, os.X_OK):
            sys.exit(f"fault: {exe} is not built")
    ctx = Ctx(a)
    print(f"fault {a.mode}: seed {a.seed}, {a.trials} trials, {a.runs} runs, np {NP}", flush=True)
    t0 = time.monotonic()
    if a.mode == "kill-worker":
        tot = mode_kill(ctx, "worker")
    elif a.mode == "kill-writer":
        tot = mode_kill(ctx, "writer")
    elif a.mode == "signals":
        tot = mode_signals(ctx)
    elif a.mode == "enospc":
        tot = mode_enospc(ctx)
    else:
        tot = mode_load(ctx)
    if tot is not None:
        figs = " ".join(f"{k}={v}" for k, v in tot.items())
        print(f"FAULT {a.mode} {figs} seconds={time.monotonic() - t0:.0f} seed={a.seed} "
              f"result={'PASS' if not ctx.failures else 'FAIL'}")
    for f in ctx.failures[:20]:
        print("  " + f, file=sys.stderr)
    sys.exit(1 if ctx.failures else 0)


if __name__ == "__main__":
    main()
