#!/usr/bin/env python3
"""Finishes trunk's dist/ for production hosting (run by scripts/build.sh).

1. trunk writes its WebAssembly loader as an inline <script type="module">; the
   Content-Security-Policy of deploy/nginx.conf allows no inline script, so the loader
   moves into boot-<hash>.js, loaded with an integrity attribute like trunk's own files.
2. Every text and wasm file gets .gz (gzip -9) and .br (brotli -q 11) siblings, which
   nginx serves to browsers that accept them (gzip_static, brotli_static).

Prints each file's size raw, gzip and brotli.
"""
import base64
import gzip
import hashlib
import pathlib
import re
import subprocess
import sys

COMPRESSIBLE = {".html", ".js", ".wasm", ".css", ".svg", ".json", ".txt"}


def externalise_loader(dist: pathlib.Path) -> None:
    index = dist / "index.html"
    html = index.read_text(encoding="utf-8")
    inline = re.compile(r'<script type="module">(.*?)</script>', re.S)
    m = inline.search(html)
    if not m:
        if 'src="/boot-' in html:
            return  # already done
        sys.exit("finish-dist: no inline loader script found in dist/index.html")
    body = m.group(1).strip() + "\n"
    data = body.encode("utf-8")
    name = f"boot-{hashlib.sha256(data).hexdigest()[:16]}.js"
    (dist / name).write_bytes(data)
    sri = "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
    tag = f'<script type="module" src="/{name}" integrity="{sri}" crossorigin="anonymous"></script>'
    index.write_text(html[: m.start()] + tag + html[m.end():], encoding="utf-8")
    if inline.search(index.read_text(encoding="utf-8")):
        sys.exit("finish-dist: more than one inline script in dist/index.html")


def precompress(dist: pathlib.Path) -> None:
    rows = []
    for f in sorted(dist.iterdir()):
        if f.suffix not in COMPRESSIBLE or not f.is_file():
            continue
        raw = f.read_bytes()
        gz = dist / (f.name + ".gz")
        gz.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
        br = dist / (f.name + ".br")
        subprocess.run(["brotli", "-q", "11", "-f", "-o", str(br), str(f)], check=True)
        rows.append((f.name, len(raw), gz.stat().st_size, br.stat().st_size))
    width = max(len(r[0]) for r in rows)
    print(f"{'file':<{width}}  {'raw':>9}  {'gzip -9':>9}  {'brotli':>9}")
    for name, raw, gz, br in rows:
        print(f"{name:<{width}}  {raw:>9}  {gz:>9}  {br:>9}")
    total = [sum(r[i] for r in rows) for i in (1, 2, 3)]
    print(f"{'total':<{width}}  {total[0]:>9}  {total[1]:>9}  {total[2]:>9}")


def main() -> None:
    dist = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "dist")
    for stale in list(dist.glob("*.gz")) + list(dist.glob("*.br")):
        stale.unlink()
    externalise_loader(dist)
    precompress(dist)


if __name__ == "__main__":
    main()
