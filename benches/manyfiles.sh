#!/usr/bin/env bash
# A corpus of many small files, for what grows with the number of files
# rather than with the text (the file list, the manifest, the article ids):
# the text of benches/corpus.sh's base (built first if missing) cut into
# articles of a few paragraphs, repeated under new names until there are
# FILES of them, 1000 to a folder.
#
#   benches/manyfiles.sh [FILES] [DIR]   default: 1000000 into benches/data/many
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-1000000}
out=${2:-benches/data/many}
base=benches/data/work/base
if [ ! -f "$base/.done" ]; then
    # corpus.sh builds the base; one copy is enough.
    benches/corpus.sh 1 benches/data/work/one >/dev/null
    rm -rf benches/data/work/one
fi
rm -rf "$out"
python3 - "$base" "$out" "$files" <<'PY'
import pathlib, sys
base, out, want = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
pieces = []
for f in sorted(base.glob("*.txt")):
    lines = f.read_text().splitlines()
    title = lines[0]
    # A title line and four paragraphs: about a quarter of a kilobyte
    # of real text per file.
    for i in range(1, len(lines), 4):
        pieces.append(title + "\n" + "\n".join(lines[i:i + 4]) + "\n")
n = 0
while n < want:
    for piece in pieces:
        if n == want:
            break
        folder = out / f"d{n // 1000:04d}"
        if n % 1000 == 0:
            folder.mkdir(parents=True)
        # Article ids are file stems: unique names.
        (folder / f"a{n:07d}.txt").write_text(piece)
        n += 1
PY
echo "corpus: $files files, $(du -sh "$out" | cut -f1) in $out"
