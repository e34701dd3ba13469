#!/usr/bin/env bash
# Benchmarks: build time, peak memory, output size, search (bytes a first query moves in
# Chromium, time to results once the data is there, `casebook search` latency) and the time
# `serve` takes to show an edit, for generated libraries of N records; and Hugo on the same
# records, rendering the same kind of listings. Prints Markdown tables:
#   bench/run.sh 1000 10000 100000
# Needs: /usr/bin/time, chromium, python3; Hugo (Debian's hugo) for the comparison.
# Start it when nothing large was deleted on its disk in the last five minutes (it deletes
# its own sites when it ends): for every file it creates, ext4 without a journal steps one
# by one past the inodes freed in the last five minutes, and builds take half as long again.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 10000}")
read -r -a sizes <<< "${sizes[*]}"
runs=${RUNS:-3}
work=${BENCH_DIR:-/tmp/casebook-bench}
mkdir -p "$work"
queries=("网络舆情" "縣醫院" "噪音扰民" "学校食堂 异物" "梅山" "YQ-2025-00042" "停車難" "暴雨积水")
cargo build --release --quiet --example gen-library
cargo build --release --quiet
bin=target/release/casebook
chromium=${CHROMIUM:-chromium}
hugo=$(command -v hugo || true)

cat > "$work/harness.html" <<'HTML'
<!DOCTYPE html><html data-root=""><head><meta charset="utf-8">
<script src="assets/search.js"></script></head><body><pre id="out">pending</pre><script>
(async function () {
  var q = decodeURIComponent(location.hash.slice(1)), out = {};
  try {
    var r = await casebook.search(q, {});
    await casebook.loadDocs(r.hits.slice(0, 10));
    out.hits = r.hits.length;
    out.loaded = casebook.loaded.slice();
    await casebook.facetCounts(r.hits, {});
    out.withFacets = casebook.loaded.slice();
    var t0 = performance.now();
    for (var i = 0; i < 5; i++) await casebook.facetCounts((await casebook.search(q, {})).hits, {});
    out.ms = (performance.now() - t0) / 5;
  } catch (e) { out.error = String(e); }
  document.getElementById("out").textContent = JSON.stringify(out);
})();
</script></body></html>
HTML

median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
# Seconds (to the millisecond) and peak memory (KB) of a command, into $work/time.
timed() {
  local t0; t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/mem" "$@" >/dev/null 2>&1
  awk -v t0="$t0" -v t1="$(date +%s.%N)" -v m="$(cat "$work/mem")" \
    'BEGIN { printf "%.3f %d\n", t1 - t0, m }' > "$work/time"
}
# Folders written by timed builds are removed only when every timing is done: creating files
# just after removing a large tree is many times slower on ext4, for casebook and Hugo alike.
scratch=(); each=()
trap 'rm -rf "${scratch[@]}"' EXIT

echo "casebook benchmarks — $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m); every build a cold build"
echo
echo "| records | build (median of $runs) | per record | peak memory | Hugo (median of $runs) | casebook ÷ Hugo | output | files | largest search file | first query (max) | with facet counts (max) | results after data (max) | casebook search (median) | serve: edit shown (later section / title) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  lib="$work/lib-$n"
  [ -d "$lib" ] || ./target/release/examples/gen-library "$lib" "$n"
  # Read once, so that no timed build waits for the disk to read the library.
  find "$lib" -type f -exec cat {} + > /dev/null
  # casebook and Hugo builds interleaved, each into a folder no build has written.
  times=(); rss=0; hugos=()
  for r in $(seq "$runs"); do
    site="$work/site-$n-$$-$r"; scratch+=("$site")
    timed "$bin" build --root "$lib" --out "$site" --now 2026-01-01; read -r t m < "$work/time"
    times+=("$t"); [ "$m" -gt "$rss" ] && rss=$m
    if [ -n "$hugo" ]; then
      dest="$work/hugo-$n-$$-$r"; scratch+=("$dest")
      hugos+=("$(bench/hugo.sh "$lib" "$work/hugo-site" "$dest")")
    fi
  done
  t=$(median "${times[@]}")
  per=$(awk -v t="$t" -v n="$n" 'BEGIN { printf "%.2f ms", t * 1000 / n }')
  hugo_t="—"; ratio="—"
  if [ -n "$hugo" ]; then
    hugo_t="$(median "${hugos[@]}")s"
    ratio=$(awk -v a="$t" -v b="${hugo_t%s}" 'BEGIN { printf "%.2f", a / b }')
  fi
  size=$(du -sb "$site" | cut -f1); files=$(find "$site" -type f | wc -l)
  largest=$(find "$site/search" -type f -printf '%s\n' | sort -n | tail -1)
  cp "$work/harness.html" "$site/bench.html"
  max_bytes=0; max_facets=0; max_ms=0
  for q in "${queries[@]}"; do
    enc=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$q")
    dom=$("$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$(mktemp -d)" --virtual-time-budget=30000 --dump-dom \
      "file://$site/bench.html#$enc" 2>/dev/null)
    read -r bytes facets ms < <(python3 - "$site" "$dom" <<'PY'
import html, json, os, re, sys
site, dom = sys.argv[1], sys.argv[2]
m = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S)
out = json.loads(html.unescape(m.group(1)))
if "error" in out: raise SystemExit(out["error"])
size = lambda files: sum(os.path.getsize(os.path.join(site, f)) for f in files)
print(size(out["loaded"]), size(out["withFacets"]), round(out["ms"], 1))
PY
)
    [ "$bytes" -gt "$max_bytes" ] && max_bytes=$bytes
    [ "$facets" -gt "$max_facets" ] && max_facets=$facets
    max_ms=$(awk -v a="$ms" -v b="$max_ms" 'BEGIN { print (a > b) ? a : b }')
  done
  cli=()
  for q in "${queries[@]}"; do
    s=$(date +%s%N); "$bin" search "$q" --site "$site" >/dev/null 2>&1 || true; e=$(date +%s%N)
    cli+=("$(( (e - s) / 1000000 ))")
  done
  serve_ms=$(python3 bench/serve_rebuild.py "$bin" "$lib")
  printf '| %s | %ss | %s | %s MB | %s | %s | %s MB | %s | %s KB | %s KB | %s KB | %s ms | %s ms | %s ms |\n' \
    "$n" "$t" "$per" "$((rss / 1024))" "$hugo_t" "$ratio" "$((size / 1048576))" "$files" \
    "$((largest / 1024))" "$((max_bytes / 1024))" "$((max_facets / 1024))" "$max_ms" \
    "$(median "${cli[@]}")" "$serve_ms"
  each+=("$n records, each build in turn: casebook ${times[*]} s; Hugo ${hugos[*]:-—} s")
done
echo
printf '%s\n' "${each[@]}"
[ -n "$hugo" ] && echo && echo "Hugo $(hugo version | cut -d' ' -f2): $(bench/hugo.sh --describe)"
exit 0
