"""The processes bench.py measures in: the ModelC host (bench/ModelC.Bench) and the PyTorch
workers (torch_worker.py), both spoken to in JSON lines; and their CPU time, read from /proc."""
import json
import os
import subprocess
import tempfile
import time

TICKS = os.sysconf("SC_CLK_TCK")


class WorkerError(RuntimeError):
    """A worker answered with an error, or died."""


def cpu_seconds(pid):
    """User and system CPU time of a process so far, all its threads included."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Worker:
    """A child process answering one JSON line per request line."""

    def __init__(self, label, argv, env=None, cwd=None, greets=False):
        self.label = label
        self._stderr = tempfile.TemporaryFile(mode="w+")
        self._process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                                         text=True, env=env, cwd=cwd)
        self.greeting = self._answer() if greets else None

    @property
    def pid(self):
        return self._process.pid

    def request(self, **fields):
        """Sends one request and returns the answer; raises WorkerError when it is not ok."""
        try:
            self._process.stdin.write(json.dumps(fields) + "\n")
            self._process.stdin.flush()
        except BrokenPipeError:
            raise self._died() from None
        return self._answer()

    def settle(self, quiet=0.03, limit=1.0):
        """Waits until the process uses no CPU for `quiet` seconds (OpenBLAS's threads spin for
        about 0.1 s after a call), so that the next measurement has the machine to itself."""
        deadline = time.monotonic() + limit
        before = cpu_seconds(self.pid)
        while time.monotonic() < deadline:
            time.sleep(quiet)
            now = cpu_seconds(self.pid)
            if now == before:
                return
            before = now

    def close(self):
        if self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    def _answer(self):
        line = self._process.stdout.readline()
        if not line:
            raise self._died()
        answer = json.loads(line)
        if not answer.get("ok"):
            raise WorkerError(f"{self.label}: {answer.get('error')}")
        return answer

    def _died(self):
        code = self._process.wait()
        self._stderr.seek(0)
        return WorkerError(f"{self.label} exited with code {code}: {self._stderr.read().strip()[-2000:]}")
