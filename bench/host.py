"""The machine a benchmark ran on, for its header line: the same kind of 2-core machine has
come as different processors, one running the benches 2-3 times as fast as another
(docs/benchmarks.md), so every table says which it came from."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path


def processor() -> str:
    """The CPU's model name (from /proc/cpuinfo on Linux), else what `platform` knows."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown processor"


def describe() -> str:
    """'2 CPUs (Intel(R) Xeon(R) Processor), Python 3.11.7'."""
    return f"{os.cpu_count()} CPUs ({processor()}), Python {sys.version.split()[0]}"
