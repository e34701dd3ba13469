#!/usr/bin/env bash
# The same generated library built by Hugo and indexed by Pagefind, for comparison with
# casebook. Two uses (bench/run.sh makes both):
#   bench/hugo_pagefind.sh build LIBRARY SITE DEST   times one Hugo build of the library's
#     records into DEST, a folder no build has written (SITE holds the Hugo configuration and
#     layouts, written if missing); prints the seconds. bench/run.sh makes these builds
#     between casebook's first builds, so that both meet the disk in the same state.
#   bench/hugo_pagefind.sh index PUBLIC   indexes a Hugo site with Pagefind; prints one
#     Markdown table row's cells: Pagefind's index time, its largest first-query transfer
#     over HTTP in Chromium, and how many results it finds for 网络舆情 and for 網絡輿情.
# Needs hugo (Debian package), pagefind (npm; PAGEFIND=path or on PATH), chromium, python3.
set -euo pipefail
pagefind=${PAGEFIND:-pagefind}
chromium=${CHROMIUM:-chromium}

if [ "$1" = build ]; then
  lib=$2; site=$3; dest=$4
  if [ ! -f "$site/hugo.toml" ]; then
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
  fi
  t0=$(date +%s.%N)
  hugo --quiet --source "$site" --destination "$dest" >/dev/null 2>&1
  t1=$(date +%s.%N)
  awk -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.3f\n", t1 - t0 }'
  exit 0
fi

public=$2
t1=$(date +%s.%N)
if ! "$pagefind" --site "$public" >/dev/null 2>&1; then
  # At 100,000 records Pagefind 1.6 runs out of this machine's 24 GB and is killed.
  echo "failed (out of memory?) | — | — / —"
  exit 0
fi
t2=$(date +%s.%N)

cat > "$public/bench.html" <<'HTML'
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
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$public" >/dev/null 2>&1 &
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
awk -v t1="$t1" -v t2="$t2" -v b="$max_bytes" -v s="$simplified" -v t="$traditional" \
  'BEGIN { printf "%.2fs | %d KB | %d / %d\n", t2 - t1, b / 1024, s, t }'
