# Shared helpers for scripts/demo.sh and scripts/test.sh (sourced, not run).
# Each ensure_* installs what is missing and does nothing when it is already there.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive

say() { printf '\n==> %s\n' "$*"; }

# Run a command as root (directly when we are root, else through sudo).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root apt-get update -q
    APT_UPDATED=1
  fi
  as_root apt-get install -y -q "$@"
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

# The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' \
    "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen_cli() {
  local want have
  want="$(wasm_bindgen_version)"
  if [ -z "$want" ]; then
    echo "cannot read the wasm-bindgen version from Cargo.lock" >&2
    return 1
  fi
  have="$(wasm-bindgen --version 2>/dev/null || true)"
  if [ "$have" != "wasm-bindgen $want" ]; then
    say "cargo install wasm-bindgen-cli --version $want --locked (found: ${have:-none}; takes ~5 min)"
    cargo install wasm-bindgen-cli --version "$want" --locked
  fi
}

ensure_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    say "apt-get install nodejs npm"
    apt_install nodejs npm
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "apt-get install chromium chromium-driver"
    apt_install chromium chromium-driver
  fi
}

ensure_node_modules() {
  if [ ! -f "$ROOT/node_modules/playwright-core/package.json" ]; then
    say "npm ci (playwright-core; it uses Debian's /usr/bin/chromium, no browser download)"
    (cd "$ROOT" && { npm ci --no-audit --no-fund || npm install --no-audit --no-fund; })
  fi
}

# GNU parallel (Debian package `parallel`; moreutils ships another `parallel`, hence the
# version check), for tests/sched/parallel.sh.
ensure_parallel() {
  if ! parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
    say "apt-get install parallel (GNU parallel)"
    apt_install parallel
  fi
}

# NumPy for the Python checks (tests/python, shared/bench/gen_data.py).
ensure_numpy() {
  if ! python3 -c 'import numpy' 2>/dev/null; then
    say "pip install numpy"
    python3 -m pip install --quiet numpy
  fi
}

# The reference benchmark data of ../shared/bench/gen_data.py (needs numpy) in
# target/bench-data; returns non-zero when it cannot be made.
ensure_bench_data() {
  local generator="$ROOT/../shared/bench/gen_data.py"
  [ -f "$ROOT/target/bench-data/n1024_dense/meta.json" ] && return 0
  if [ ! -f "$generator" ]; then
    echo "missing $generator (the shared/ folder beside the repository)" >&2
    return 1
  fi
  ensure_numpy || return 1
  python3 "$generator" "$ROOT/target/bench-data" >/dev/null
}

# The peer frameworks of scripts/bench.sh --peers in a venv under target/ (PyPI only):
# JAX CPU (jax + jaxlib wheels ≈ 90 MB, venv ≈ 620 MB) and, with `all`, PyTorch (PyPI's
# linux wheel is the CUDA build: 539 MB + ~3 GB of nvidia/triton wheels). Prints the
# venv's python.
PEER_JAX_VERSION="0.10.2"
ensure_peer_venv() {
  local which="${1:-jax}" venv="$ROOT/target/peers-venv"
  if [ ! -x "$venv/bin/python" ]; then
    say "python3 -m venv $venv" >&2
    python3 -m venv "$venv" >&2
  fi
  if ! "$venv/bin/python" -c "import jax, numpy; assert jax.__version__ == '$PEER_JAX_VERSION'" 2>/dev/null; then
    say "pip install jax[cpu]==$PEER_JAX_VERSION numpy (into $venv)" >&2
    "$venv/bin/pip" install --quiet --progress-bar off "jax[cpu]==$PEER_JAX_VERSION" numpy >&2
  fi
  if [ "$which" = all ] && ! "$venv/bin/python" -c "import torch" 2>/dev/null; then
    say "pip install torch (CUDA build from PyPI, ~3.5 GB; CPU use works)" >&2
    "$venv/bin/pip" install --quiet --progress-bar off torch >&2
  fi
  echo "$venv/bin/python"
}

# The Python package's tools in a venv under target/ (PyPI, pinned): maturin builds the
# wheel; pytest, tqdm and neurogym for its tests; anywidget + JupyterLab for the notebook
# widget test; MkDocs for the static docs test. neurogym 2.0.0: 2.1+ import torch or
# sb3_contrib when imported; 2.0.0 pins numpy < 2.2.
# Prints the venv's python.
PY_VENV_PINS="maturin==1.16.0 pytest==9.2.0 tqdm==4.70.1 numpy==2.1.3 anywidget==0.11.0 jupyterlab==4.6.6 mkdocs==1.6.1 neurogym==2.0.0"
ensure_python_venv() {
  local venv="$ROOT/target/py-venv"
  if [ ! -x "$venv/bin/python" ]; then
    say "python3 -m venv $venv" >&2
    python3 -m venv "$venv" >&2
  fi
  if [ "$(cat "$venv/.pins" 2>/dev/null)" != "$PY_VENV_PINS" ]; then
    say "pip install $PY_VENV_PINS (into $venv)" >&2
    # shellcheck disable=SC2086
    "$venv/bin/pip" install --quiet --progress-bar off $PY_VENV_PINS >&2
    echo "$PY_VENV_PINS" >"$venv/.pins"
  fi
  echo "$venv/bin/python"
}

# esbuild (npm, pinned; its platform binary comes from the registry) under
# target/widget-tools, for the notebook widget's bundle. Prints the folder.
ESBUILD_VERSION="0.28.2"
ensure_esbuild() {
  local dir="$ROOT/target/widget-tools"
  if [ "$(cd "$dir" 2>/dev/null && node -p "require('esbuild').version" 2>/dev/null)" != "$ESBUILD_VERSION" ]; then
    say "npm install esbuild@$ESBUILD_VERSION (into $dir)" >&2
    mkdir -p "$dir"
    (cd "$dir" && npm install --no-audit --no-fund --prefix . "esbuild@$ESBUILD_VERSION" >&2)
  fi
  echo "$dir"
}
