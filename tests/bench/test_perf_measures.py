"""What bench/perf.py measures with: its own static files, and the server's CPU per request."""

import os
import signal
import subprocess
import sys

from bench.perf import base_env, server_cpu


def test_the_run_serves_static_files_it_collected_itself(tmp_path):
    env = base_env("postgres://postgres@127.0.0.1:5432/bench", str(tmp_path), cache=False)
    # collectstatic and the server both read STATIC_ROOT (config/settings/base.py).
    assert env["STATIC_ROOT"] == str(tmp_path)


def test_server_cpu_counts_the_workers_and_the_ones_that_exited():
    # A "master" whose first child burns CPU and exits (reaped: the master's children's time),
    # then a second child burns CPU and stays (a live worker).
    code = (
        "import os, time\n"
        "def burn():\n"
        "    end = time.process_time() + 0.3\n"
        "    while time.process_time() < end: pass\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    burn(); os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
        "if os.fork() == 0:\n"
        "    burn(); print(os.getpid(), flush=True); time.sleep(30); os._exit(0)\n"
        "time.sleep(30)\n"
    )
    master = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True
    )
    try:
        worker = int(master.stdout.readline())
        assert server_cpu(master) >= 0.5
        os.kill(worker, signal.SIGKILL)
    finally:
        master.kill()
        master.wait()
