"""One measured process: wall time, CPU time, peak resident memory, exit code, the tail of stderr.

Why a launcher between us and the command: on Linux the ru_maxrss that wait4 reports for a child
is not only the child's own peak. At exec the kernel carries the high-water RSS of the memory the
process had before exec into its signal struct (exec_mmap -> setmax_mm_hiwater_rss), and Python's
subprocess starts a child with vfork, so "the memory before exec" is the parent's. A benchmark
parent holding 500 MB (the packages it generated, the reports it compared) that runs
`python -c pass` reads 511 MB back; every tool then "peaks" at the parent's size (768 MB for the
pyarrow floor and for kzcn alike at 1M rows, clean and faulty, before this module).

So the parent starts a tiny launcher (`python -S`, about 10 MB), and the launcher forks (a real
fork: the child's old memory is the launcher's own) and execs the command, waits for it with
wait4, and writes the command's ru_maxrss and CPU times to a pipe the parent handed it. The
command's reported peak is max(its own peak, the launcher's ~10 MB), never the parent's. The
CPU times are the command's and those of every child it waited for (wait4 counts them), user
and system; wall time is taken in the launcher around fork and wait, without its own start-up.

`process()` is the one entry point; benchmarks/run.py, small.py and streaming.py use it, and
dask_bench.py's own `_run` can switch to `process(cmd, cwd)` (its `stdout` is the JSON report).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

STDERR_TAIL = 2000  # characters of stderr kept, for a message when a run fails

# argv: fd argv... ; stdout, stderr and cwd are the launcher's, which the command inherits
LAUNCHER = """
import os, sys, time
fd = int(sys.argv[1])
argv = sys.argv[2:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.close(fd)
    try:
        os.execvp(argv[0], argv)
    except OSError as exc:
        os.write(2, ('launcher: cannot run %s: %s\\n' % (argv[0], exc)).encode())
    os._exit(127)
_, status, ru = os.wait4(pid, 0)
seconds = time.perf_counter() - started
code = os.waitstatus_to_exitcode(status)
os.write(fd, ('%d %d %.6f %.6f %.6f' % (code, ru.ru_maxrss, ru.ru_utime, ru.ru_stime, seconds)).encode())
os.close(fd)
os._exit(code if code >= 0 else 128 - code)
"""


class MeasureError(RuntimeError):
    """The launcher itself failed (not the command): nothing was measured."""


def process(cmd: list[str], cwd: Path | str | None = None, env: dict | None = None,
            stdout_path: Path | None = None, timeout: float | None = None) -> dict:
    """Run `cmd` once as a whole process and measure it.

    Returns seconds (wall), cpu (user + system, the process and the children it waited for),
    cpu_user, cpu_sys, rss_mb (peak resident set of the process or its largest waited-for
    child, in MiB), rc (exit code; -N for a signal N) and stderr (its last characters).
    stdout goes to `stdout_path` when given, else it is returned as `stdout` (text).
    `timeout` is containment for tests: the run is killed and MeasureError raised.
    """
    read_fd, write_fd = os.pipe()
    try:
        with tempfile.TemporaryFile() as err, \
                (open(stdout_path, "wb") if stdout_path else tempfile.TemporaryFile()) as out:
            proc = subprocess.Popen([sys.executable, "-S", "-c", LAUNCHER, str(write_fd), *map(str, cmd)],
                                    cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    pass_fds=(write_fd,), start_new_session=True)
            os.close(write_fd)
            write_fd = -1
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the launcher's own session: it and the command
                proc.wait()
                raise MeasureError(f"{cmd[0]} did not finish within {timeout} s") from None
            with os.fdopen(read_fd, "rb") as pipe:
                read_fd = -1
                fields = pipe.read().decode("ascii", "replace").split()
            err.seek(0)
            tail = err.read()[-STDERR_TAIL * 4:].decode("utf-8", "replace")[-STDERR_TAIL:]
            text = None
            if stdout_path is None:
                out.seek(0)
                text = out.read().decode("utf-8", "replace")
    finally:
        for fd in (read_fd, write_fd):
            if fd >= 0:
                os.close(fd)
    if len(fields) != 5:
        raise MeasureError(f"the launcher for {cmd[0]} exited {proc.returncode} without measuring it: {tail.strip()}")
    rc, maxrss_kb, user, system, seconds = int(fields[0]), int(fields[1]), *map(float, fields[2:])
    result = {"seconds": seconds, "cpu": user + system, "cpu_user": user, "cpu_sys": system,
              "rss_mb": maxrss_kb / 1024, "rc": rc, "stderr": tail}
    if text is not None:
        result["stdout"] = text
    return result
