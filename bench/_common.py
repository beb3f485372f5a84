"""What the browser benchmarks share: the browser's processes and their memory, read from /proc.

Resident memory (RSS) is summed over processes, as a task manager does: pages
shared between Chromium's processes (the zygote's, fonts, mapped files) count
once per process that maps them, so the sums are upper bounds.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _process_table() -> tuple[dict[int, list[int]], dict[int, int]]:
    """Every process's children and resident bytes, from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name (field 2) may hold spaces and parentheses: split after its last ")".
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
            rss[int(entry.name)] = int(fields[21]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            continue  # it exited while we looked
    return children, rss


def _descendants(root_pid: int, children: dict[int, list[int]]) -> list[int]:
    found, stack = [], [root_pid]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (user + system), 0 once it is gone."""
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def browser_rss_bytes(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children, rss = _process_table()
    return sum(rss.get(pid, 0) for pid in _descendants(root_pid, children))


@dataclass(frozen=True)
class BrowserProcess:
    pid: int
    role: str  # "extension" (an extension's renderer), "page" (any other renderer) or "shared" (the rest)
    rss: int


_command_lines: dict[int, list[str]] = {}  # read once per process, once it has its final one


def _command_line(pid: int) -> list[str]:
    if pid in _command_lines:
        return _command_lines[pid]
    try:
        raw = (Path("/proc") / str(pid) / "cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return []
    # Renderers rename themselves into one space-separated string, so split on both; only the
    # flags are looked at, never a value with spaces in it.
    line = raw.replace("\0", " ").split()
    # A child forked from a zygote shows the zygote's command line until it renames itself.
    if "--type=zygote" not in line:
        _command_lines[pid] = line
    return line


def _role(command_line: list[str]) -> str:
    if "--type=renderer" not in command_line or "--top-chrome-webui" in command_line:
        return "shared"  # the browser process and its own UI, zygotes, GPU, network/storage/audio utilities
    return "extension" if "--extension-process" in command_line else "page"


def browser_processes(root_pid: int) -> list[BrowserProcess]:
    """Chromium's processes among ``root_pid``'s descendants (the Playwright driver left out), with their roles."""
    children, rss = _process_table()
    browsers = [pid for pid in _descendants(root_pid, children) if _is_browser_process(_command_line(pid))]
    pids = dict.fromkeys(pid for browser in browsers for pid in _descendants(browser, children))  # once each
    return [BrowserProcess(pid, _role(_command_line(pid)), rss.get(pid, 0)) for pid in pids]


def sum_by_role(processes: list[BrowserProcess]) -> dict[str, int]:
    totals = dict.fromkeys(("shared", "extension", "page"), 0)
    for process in processes:
        totals[process.role] += process.rss
    return totals


def _is_browser_process(command_line: list[str]) -> bool:
    """Chromium's main process: the chromium binary without a ``--type=`` (its children all have one)."""
    return bool(command_line) and command_line[0].endswith("chromium") and not any(
        arg.startswith("--type=") for arg in command_line)


class Sampler:
    """Calls ``sample()`` every 100 ms in a thread while its ``with`` block runs."""

    period = 0.1

    def __init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def sample(self) -> None:
        raise NotImplementedError

    def _loop(self):
        while not self._stop.is_set():
            self.sample()
            time.sleep(self.period)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class PeakMemory(Sampler):
    """The peak of the summed resident memory of ``root_pid`` and its descendants, overall and per phase.

    ``phase`` names what runs now (set by the caller); each phase's peak keeps
    its split by role (``sum_by_role``), so a peak can be traced to a process.
    """

    def __init__(self, root_pid: int):
        super().__init__()
        self.root_pid, self.peak = root_pid, 0
        self.phase: str | None = None
        self.phases: dict[str, dict[str, int]] = {}

    def sample(self) -> None:
        phase = self.phase
        if phase is None:
            self.peak = max(self.peak, browser_rss_bytes(self.root_pid))
            return
        by_role = sum_by_role(browser_processes(self.root_pid))
        total = sum(by_role.values())
        self.peak = max(self.peak, total)
        if total > self.phases.get(phase, {}).get("total", 0):
            self.phases[phase] = {"total": total, **by_role}
