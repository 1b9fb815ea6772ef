#!/usr/bin/env bash
# The whole benchmark: corpus (if missing), the slow robustness tests that
# `cargo test` skips (they need a release build to be quick), then the
# measurements. Results are printed as Markdown for BENCHMARKS.md.
#
#   benches/run.sh [MB]      default 200
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-200}
if [ ! -d benches/data/corpus ] || [ "$(cat benches/data/corpus.mb 2>/dev/null)" != "$mb" ]; then
    benches/corpus.sh "$mb" benches/data/corpus
    echo "$mb" > benches/data/corpus.mb
fi
command -v rg >/dev/null || { echo "ripgrep missing: apt-get install -y ripgrep" >&2; exit 2; }
cargo test --release --test robustness -- --ignored
cargo bench --bench archive -- benches/data/corpus | tee benches/data/results.md
