# Sourced by the scripts in this folder: makes sure uv and the locked dependencies are installed.
# Needs only Python 3.13 on the machine (pyenv, the OS, or anything uv can find).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export UV_PYTHON_DOWNLOADS="${UV_PYTHON_DOWNLOADS:-never}"
# Bytecode compiled once at install: with PYTHONDONTWRITEBYTECODE (set on some machines and
# containers) every new process would compile every module it imports again (3.5 s -> 1.5 s for
# `manage.py check`; a fresh gunicorn worker's first request 490 -> 93 ms).
export UV_COMPILE_BYTECODE="${UV_COMPILE_BYTECODE:-1}"

if command -v uv >/dev/null 2>&1 && uv --version >/dev/null 2>&1; then
  UV=(uv)
elif python3 -m uv --version >/dev/null 2>&1; then
  UV=(python3 -m uv)
else
  echo "==> Installing uv (the Python package manager) with pip"
  python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
  UV=(python3 -m uv)
fi

"${UV[@]}" sync --locked --quiet
PY=.venv/bin/python
