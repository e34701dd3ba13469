#!/usr/bin/env bash
# The same generated library built by Hugo and indexed by Pagefind, for comparison with
# casebook. Usage: bench/hugo_pagefind.sh LIBRARY WORKDIR. Prints one Markdown table row:
# Hugo build time, Pagefind index time, Pagefind's largest first-query transfer over HTTP in
# Chromium, and how many results Pagefind finds for 网络舆情 and for 網絡輿情. RUNS=N: Hugo's
# build timed N times (the median).
# Needs hugo (Debian package), pagefind (npm; PAGEFIND=path or on PATH), chromium, python3.
set -euo pipefail
lib=$1; work=$2
pagefind=${PAGEFIND:-pagefind}
chromium=${CHROMIUM:-chromium}
site="$work/hugo"
# The last run's site is moved aside and removed only after the timings: on ext4, creating
# files soon after removing many (minutes, here) is many times slower, and Hugo would pay for it.
old="$work/hugo.old-$$"
[ -d "$site" ] && mv "$site" "$old"
trap 'rm -rf "$old"' EXIT
mkdir -p "$site/layouts/_default"
cat > "$site/hugo.toml" <<TOML
baseURL = "/"
languageCode = "zh-cn"
contentDir = "$lib/cases"
disableKinds = ["RSS", "sitemap"]
TOML
cat > "$site/layouts/_default/single.html" <<'HTML'
<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main data-pagefind-body><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>
HTML
cat > "$site/layouts/_default/list.html" <<'HTML'
<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>
HTML
cp "$site/layouts/_default/list.html" "$site/layouts/index.html"
# The library read once, as for casebook's builds: Hugo is timed without waiting for the disk.
find "$lib" -type f -exec cat {} + > /dev/null
# RUNS builds (default 1), each into a folder no build has written, as casebook's first
# builds are: the median is reported, and the last one is indexed by Pagefind.
runs=${RUNS:-1}; times=()
for r in $(seq "$runs"); do
  t0=$(date +%s.%N)
  hugo --quiet --source "$site" --destination "$site/public-$r" >/dev/null 2>&1
  t1=$(date +%s.%N)
  times+=("$(awk -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.2f", t1 - t0 }')")
done
mv "$site/public-$runs" "$site/public"
hugo_t=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
# PAGEFIND_UPTO=N: Pagefind is not run on libraries of more records (at 100,000 it needs more
# memory than a 24 GB machine has, and the kernel's out-of-memory killer may pick another
# process than Pagefind).
records=$(find "$lib/cases" -name '*.md' | wc -l)
if [ -n "${PAGEFIND_UPTO:-}" ] && [ "$records" -gt "$PAGEFIND_UPTO" ]; then
  echo "${hugo_t}s | not run (PAGEFIND_UPTO) | — | — / —"
  exit 0
fi
t1=$(date +%s.%N)
if ! "$pagefind" --site "$site/public" >/dev/null 2>&1; then
  # At 100,000 records Pagefind 1.6 runs out of this machine's 24 GB and is killed.
  echo "${hugo_t}s | failed (out of memory?) | — | — / —"
  exit 0
fi
t2=$(date +%s.%N)

cat > "$site/public/bench.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre id="out">pending</pre>
<script type="module">
const q = decodeURIComponent(location.hash.slice(1)), out = {};
try {
  const pf = await import("/pagefind/pagefind.js");
  await pf.init();
  const r = await pf.search(q);
  await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
  out.hits = r.results.length;
  out.bytes = performance.getEntriesByType("resource")
    .filter((e) => e.name.includes("/pagefind/"))
    .reduce((n, e) => n + e.encodedBodySize, 0);
} catch (e) { out.error = String(e); }
document.getElementById("out").textContent = JSON.stringify(out);
</script></body></html>
HTML
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site/public" >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
for _ in $(seq 50); do
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1])' "http://127.0.0.1:$port/bench.html" 2>/dev/null && break
  sleep 0.2
done
# The result of one query as JSON ({} when Pagefind did not answer in three tries: under load
# its WebAssembly start-up can outlast Chromium's virtual time).
first_query() {
  local enc out
  enc=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1")
  for _ in 1 2 3; do
    out=$("$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$(mktemp -d)" --virtual-time-budget=60000 --dump-dom \
      "http://127.0.0.1:$port/bench.html#$enc" 2>/dev/null |
      python3 -c 'import html, re, sys; m = re.search(r"<pre id=\"out\">(.*?)</pre>", sys.stdin.read(), re.S); print(html.unescape(m.group(1)) if m else "pending")')
    [ "$out" != "pending" ] && break
  done
  [ "$out" = "pending" ] && out="{}"
  echo "$out"
}
max_bytes=0
for q in "网络舆情" "縣醫院" "噪音扰民" "学校食堂 异物" "梅山" "停車難" "暴雨积水"; do
  b=$(first_query "$q" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("bytes", 0))')
  [ "$b" -gt "$max_bytes" ] && max_bytes=$b
done
simplified=$(first_query "网络舆情" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("hits", 0))')
traditional=$(first_query "網絡輿情" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("hits", 0))')
awk -v h="$hugo_t" -v t1="$t1" -v t2="$t2" -v b="$max_bytes" -v s="$simplified" -v t="$traditional" \
  'BEGIN { printf "%.2fs | %.2fs | %d KB | %d / %d\n", h, t2 - t1, b / 1024, s, t }'
