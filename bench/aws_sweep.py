"""Benchmark: ``trustsweep sweep --provider aws`` against a seeded moto server (in its own process).

Prints wall time, HTTP requests (counted by a proxy in front of the server, not by the plugin) and
the sweep process's peak RSS and CPU time (``wait4`` rusage), for 1 region and for 16 regions of the
same account, and with ``--members N`` for an organisation of N member accounts (assumed roles).

    .venv/bin/python bench/aws_sweep.py [--regions 1 16] [--repeat 3] [--members 5]

Anchor (Prowler 5.46 ``aws --compliance soc2_aws``, same kind of account, one region, 2 cores):
235 HTTP requests, 21 s wall, 504 MB peak RSS.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# An installed package has bytecode (pip compiles it); this checkout runs with PYTHONDONTWRITEBYTECODE.
# Give the measured process a private bytecode cache (warmed by the first run) instead of touching the venv.
PYCACHE = Path(tempfile.gettempdir()) / "trustsweep-bench-pycache"
PY = sys.executable
TRUSTSWEEP = str(Path(PY).with_name("trustsweep"))


def serve(regions: int, members: int = 0) -> tuple[subprocess.Popen[str], str, list[str]]:
    proc = subprocess.Popen(
        [PY, "-m", "trustsweep_aws.emulator", "--regions", str(regions), "--proxy", "--members", str(members)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().split()
    if not line or line[0] != "ENDPOINT":
        raise SystemExit(f"emulator did not start: {line}")
    return proc, line[1], line[2].split(",")


def ask(server: subprocess.Popen[str], command: str) -> str:
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write(command + "\n")
    server.stdin.flush()
    return server.stdout.readline().split()[-1]


def sweep_once(
    endpoint: str, regions: list[str], out: Path, organization: bool = False
) -> tuple[float, float, int, float]:
    env = {
        **os.environ,
        "PYTHONPYCACHEPREFIX": str(PYCACHE),
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    args = [TRUSTSWEEP, "sweep", "--provider", "aws", "--no-store", "--quiet", "--out", str(out)]
    for region in regions:
        args += ["--region", region]
    if organization:
        args.append("--aws-organization")
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 3):
        raise SystemExit(f"sweep failed with exit {code}: {proc.stderr.read() if proc.stderr else ''}")
    return wall, usage.ru_maxrss / 1024, code, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--regions", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--members", type=int, default=0, help="also sweep an organisation with this many member accounts (1 region)"
    )
    args = parser.parse_args()
    rows = []
    runs = [(count, 0) for count in args.regions] + ([(1, args.members)] if args.members else [])
    for count, members in runs:
        server, endpoint, regions = serve(count, members)
        org = members > 0
        try:
            sweep_once(endpoint, regions, Path(tempfile.mkdtemp()), org)  # warm the server's backends and bytecode
            walls, rss, requests, cpus = [], [], [], []
            for _ in range(args.repeat):
                ask(server, "reset-count")
                wall, peak, code, cpu = sweep_once(endpoint, regions, Path(tempfile.mkdtemp()), org)
                walls.append(wall)
                cpus.append(cpu)
                rss.append(peak)
                requests.append(int(ask(server, "count")))
        finally:
            assert server.stdin is not None
            server.stdin.close()
            server.wait(timeout=30)
        rows.append(
            (
                f"{count}" + (f"+{members}acct" if members else ""),
                statistics.median(walls),
                min(walls),
                statistics.median(cpus),
                max(rss),
                statistics.median(requests),
                code,
            )
        )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{'regions':>7} {'wall s (median)':>15} {'wall s (best)':>13} {'CPU s':>6} {'peak RSS MB':>11} "
        f"{'HTTP requests':>13} exit"
    )
    for count, wall, best, cpu, peak, req, code in rows:
        print(f"{count:>7} {wall:>15.2f} {best:>13.2f} {cpu:>6.2f} {peak:>11.0f} {req:>13.0f} {code:>4}")
    plain = [r for r in rows if r[0].isdigit()]
    if len(plain) > 1:
        print(f"wall-time growth {plain[0][0]} → {plain[-1][0]} regions: ×{plain[-1][1] / plain[0][1]:.2f}")
    print("Prowler 5.46 anchor (1 region): 21 s wall, 235 HTTP requests, 504 MB peak RSS")


if __name__ == "__main__":
    main()
