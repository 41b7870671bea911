#!/usr/bin/python3
"""pypet's own speed on workload A, for the ratio cpet-bench reports against it.

usage: PYTHONPATH=<pypet checkout> queue_baseline.py [RUNS] [MODE]
MODE: queue (multiproc, wrap_mode QUEUE, 2 cores; the default) or serial. Prints runs/s.
Not part of the test suite (pypet is not a dependency of cpet)."""
import os
import sys
import tempfile
import time
import warnings

warnings.filterwarnings("ignore")
import logging  # noqa: E402

logging.disable(logging.CRITICAL)
import numpy as np  # noqa: E402
from pypet import Environment, cartesian_product  # noqa: E402


def run(traj):
    i = traj.v_idx
    for k in range(3):
        traj.f_add_result("s%d" % k, float(i + k))
    traj.f_add_result("trace", np.arange(100, dtype=np.float64) * 0.25 + i * 0.5)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    mode = sys.argv[2] if len(sys.argv) > 2 else "queue"
    d = tempfile.mkdtemp()
    kw = dict(multiproc=True, ncores=2, wrap_mode="QUEUE") if mode == "queue" else {}
    env = Environment(trajectory="bench", filename=os.path.join(d, "pypet.hdf5"),
                      log_config=None, report_progress=False, complevel=9, complib="zlib", **kw)
    traj = env.traj
    traj.f_add_parameter("x", 0)
    traj.f_explore({"x": list(range(runs))})
    t0 = time.time()
    env.run(run)
    env.disable_logging()
    dt = time.time() - t0
    print(f"pypet {mode}: {runs} runs in {dt:.1f} s = {runs / dt:.1f} runs/s")


if __name__ == "__main__":
    main()
