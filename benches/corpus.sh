#!/usr/bin/env bash
# Builds the benchmark corpus: real German text from Debian's German
# documentation packages, rendered to plain text (one paragraph per line),
# then copied under new names until it reaches the target size.
#
#   benches/corpus.sh [MB] [DIR]     default: 200 MB into benches/data/corpus
#
# Needs apt-get (Debian), dpkg-deb, groff, python3. Downloads three packages
# (about 9 MB) with `apt-get download`; nothing is installed. The corpus is
# data, never committed (benches/data/ is in .gitignore). The same package
# versions give the same corpus.
set -euo pipefail

target_mb=${1:-200}
out=${2:-"$(dirname "$0")/data/corpus"}
work="$(dirname "$0")/data/work"
packages=(manpages-de debian-reference-de libreoffice-help-de)

mkdir -p "$work/debs" "$work/base"
if [ ! -f "$work/base/.done" ]; then
    # A stale package list names versions the mirror no longer has (404):
    # refresh it once and try again.
    (cd "$work/debs" && { apt-get download "${packages[@]}" ||
        { apt-get update -qq && apt-get download "${packages[@]}"; }; })
    for deb in "$work"/debs/*.deb; do
        dpkg-deb -x "$deb" "$work/root"
    done

    # Manual pages: groff renders them as text without overstrike.
    find "$work/root/usr/share/man/de" -name '*.gz' | sort | while read -r page; do
        name=$(basename "$page" .gz)
        zcat "$page" | groff -K utf8 -man -Tutf8 -P-c -P-b -P-u 2>/dev/null \
            | sed 's/[[:space:]]*$//' > "$work/base/man-${name//./_}.txt" || true
    done

    # HTML documentation: block elements become lines, markup goes.
    python3 - "$work/root" "$work/base" <<'PY'
import html.parser, pathlib, re, sys
root, base = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
BLOCK = {"p", "h1", "h2", "h3", "h4", "li", "pre", "tr", "dt", "dd", "title", "div", "br"}
class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.out = []; self.skip = 0
    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"): self.skip += 1
        if tag in BLOCK: self.out.append("\n")
    def handle_endtag(self, tag):
        if tag in ("script", "style"): self.skip -= 1
        if tag in BLOCK: self.out.append("\n")
    def handle_data(self, data):
        if not self.skip: self.out.append(data)
for n, page in enumerate(sorted(root.rglob("*.html"))):
    parser = Text(); parser.feed(page.read_text(errors="replace"))
    lines = [re.sub(r"\s+", " ", l).strip() for l in "".join(parser.out).split("\n")]
    text = "\n".join(l for l in lines if l)
    if len(text) > 200:
        (base / f"doc-{n:05d}-{page.stem}.txt").write_text(text + "\n")
PY
    find "$work/base" -name '*.txt' -size -200c -delete
    touch "$work/base/.done"
fi

base_kb=$(du -sk --exclude=.done "$work/base" | cut -f1)
copies=$(( (target_mb * 1024 + base_kb - 1) / base_kb ))
rm -rf "$out"
mkdir -p "$out"
for i in $(seq -w 1 "$copies"); do
    mkdir -p "$out/r$i"
    for f in "$work"/base/*.txt; do
        b=$(basename "$f" .txt)
        # New names: article ids are file stems and must be unique. Copies,
        # not links: the benchmark edits some files.
        cp "$f" "$out/r$i/$b-r$i.txt"
    done
done
echo "corpus: $(find "$out" -name '*.txt' | wc -l) files, $(du -shL "$out" | cut -f1) in $out ($copies copies of $((base_kb / 1024)) MB)"
