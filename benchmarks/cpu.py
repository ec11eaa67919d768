"""How much of the machine other programs used during a measurement (this machine is shared).

A ratio to the bare app is only fair when both ran under the same conditions; the share of CPU
taken by processes outside the measurement is reported beside each figure, so a noisy run shows.
"""
import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1


def machine_busy_seconds() -> float:
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / TICKS


def tree_cpu_seconds(pid: int) -> float:
    """CPU used so far by a process and its children (gunicorn's master and workers)."""
    total = 0.0
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(stat[11]) + int(stat[12])) / TICKS
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            total += tree_cpu_seconds(int(child))
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Snapshot:
    wall: float
    busy: float
    server: float
    children: float


def snapshot(server_pid: int | None) -> Snapshot:
    return Snapshot(time.monotonic(), machine_busy_seconds(), tree_cpu_seconds(server_pid) if server_pid else 0.0,
                    children_cpu_seconds())


def ours_seconds(before: Snapshot, after: Snapshot) -> float:
    """CPU used by the server under test and the load generator (the children this process waited for)."""
    return (after.server - before.server) + (after.children - before.children)


def others_share(before: Snapshot, after: Snapshot) -> float:
    """Share of all cores (0-1) busy with anything but the server under test and the load generator."""
    other = (after.busy - before.busy) - ours_seconds(before, after)
    return max(0.0, other / ((after.wall - before.wall) * CORES))
