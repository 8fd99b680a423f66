"""gunicorn settings for a Heroku-style platform.

Everything can be tuned from the environment: ``PORT`` (set by the platform),
``WEB_CONCURRENCY`` (worker processes), ``GUNICORN_WORKER_CLASS``, ``GUNICORN_THREADS``,
``GUNICORN_TIMEOUT``, ``GUNICORN_KEEPALIVE``, ``GUNICORN_MAX_REQUESTS``,
``GUNICORN_WORKER_CONNECTIONS``, ``GUNICORN_GC_FREEZE``, ``GUNICORN_GC_LOG_MS``,
``WEB_STATEMENT_TIMEOUT`` (the longest a web request's database query may run; PostgreSQL
syntax, e.g. ``5s``). Why the defaults are what they are: docs/operations.md (web process).
"""

import os

# Web requests never wait long on a stalled database (config/settings/base.py); commands do.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", os.environ.get("WEB_STATEMENT_TIMEOUT", "5s"))

bind = f"{os.environ.get('GUNICORN_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104
# Threaded workers, 2 x 4, chosen by measurement (bench/serving.py; the table and what each
# option costs are in docs/operations.md): sync workers cannot keep connections alive, and one
# slow client holds a whole sync worker. Each thread may hold a database connection.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "1" if worker_class == "sync" else "4"))
# Open connections one worker keeps (keep-alive included) before leaving new ones to the others.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "1000"))
# A request that takes longer than this is killed; the router usually gives up at 30 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "25"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
# Idle keep-alive connections wait in the worker's poller, not in a thread. Longer than the
# router's own idle timeout (Heroku's Router 2.0: 90 s), so the router, not gunicorn, closes
# them and never sends a request on a connection gunicorn is closing.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "95"))
# Recycle workers now and then (memory growth), at different times for each worker. Not too
# often: under a traffic spike a worker answering 1,000 cached pages a second would restart
# every second, each restart stalling its queued requests (bench: 1,000 -> 20,000 took a static
# file from about 1,400 to 3,800 requests/s and its p99 from 0.5 s to 15 ms).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "2000"))
# Access log to stdout (the platform collects it), with the response time in microseconds.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The platform's router terminates TLS and sets X-Forwarded-*; trust it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
# Heartbeat files in memory, not on a possibly slow container disk.
SHM = "/dev/shm"  # noqa: S108
if os.path.isdir(SHM):
    worker_tmp_dir = SHM
preload_app = True
# The collector never walks the app's own objects (core/gcpause.py); 0 to compare without.
GC_FREEZE = os.environ.get("GUNICORN_GC_FREEZE", "1").lower() not in ("0", "false", "no", "off")
# Log every collection that takes at least this many milliseconds (0: no log).
GC_LOG_MS = float(os.environ.get("GUNICORN_GC_LOG_MS", "0"))


def when_ready(server):
    """In the master, after the app is loaded and before any worker forks: compile templates
    and URL patterns once, so a recycled worker serves its first requests at full speed."""
    if not server.cfg.preload_app:
        return
    from core.warmup import warm_up

    server.log.info("warm-up: %d templates compiled before forking", warm_up())
    if GC_FREEZE:
        from core.gcpause import freeze_loaded_app

        server.log.info(
            "gc: %d objects of the loaded app frozen before forking", freeze_loaded_app()
        )


def post_fork(server, worker):
    """In each worker: the opt-in log of garbage-collector pauses."""
    from core.gcpause import install_pause_log

    install_pause_log(GC_LOG_MS, worker.log.warning)
