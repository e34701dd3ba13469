#!/usr/bin/env bash
# Benchmarks: build time, peak memory, output size, and search (bytes a first query moves in
# Chromium, time to results once the data is there, `casebook search` latency) for generated
# libraries of N records. Prints a Markdown table; `bench/run.sh 1000 10000 100000`.
# Needs: a release build (made here), /usr/bin/time, chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 10000}")
read -r -a sizes <<< "${sizes[*]}"
runs=${RUNS:-3}
work=${BENCH_DIR:-/tmp/casebook-bench}
queries=("网络舆情" "縣醫院" "噪音扰民" "学校食堂 异物" "梅山" "YQ-2025-00042" "停車難" "暴雨积水")
cargo build --release --quiet --example gen-library --example index-cost
cargo build --release --quiet
bin=target/release/casebook
chromium=${CHROMIUM:-chromium}

cat > "$work.harness.html" <<'HTML'
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

echo "casebook benchmarks — $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m)"
echo
echo "| records | build (median of $runs) | per record | peak memory | first build, median of $runs (peak memory) | per record | one record edited | output | files | largest search file | first query (max) | with facet counts (max) | results and counts after data (max) | casebook search (median) | serve: one edit shown (later section / title) | browser index adds / both indexes add (unchanged; one record edited; first builds, up to 10,000 records) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
medians=(); first_times=()
# Folders written by the timed builds, removed only when every timing is done (creating files
# just after removing a large tree is many times slower on ext4: a build timed after such a
# removal, casebook's or Hugo's, would pay for it).
scratch=()
trap 'rm -rf "${scratch[@]}"' EXIT
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
per_record() { awk -v t="$1" -v n="$n" 'BEGIN { printf "%.2f ms", t * 1000 / n }'; } # of $n
hugo=$(command -v hugo || true); hugo_times=()
# Build into $1; into $work.time its seconds, to the millisecond as Hugo's are (/usr/bin/time's
# %e has two decimals, and at 1,000 records the two builds differ by less), and peak memory.
build() {
  local t0; t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work.mem" "$bin" build --root "$lib" --out "$1" --now 2026-01-01 2>/dev/null
  awk -v t0="$t0" -v t1="$(date +%s.%N)" -v m="$(cat "$work.mem")" \
    'BEGIN { printf "%.3f %d\n", t1 - t0, m }' > "$work.time"
}
for n in "${sizes[@]}"; do
  lib="$work/lib-$n"; site="$work/site-$n"
  [ -d "$lib" ] || ./target/release/examples/gen-library "$lib" "$n"
  # The library read once, so that no timed build (nor Hugo's) waits for the disk to read it.
  find "$lib" -type f -exec cat {} + > /dev/null
  # First builds, each into a folder no build has written: every file is new and casebook
  # search's index is made whole. Where Hugo is installed, each is followed by a Hugo build of
  # the same records into a new folder, so that both programs meet the disk in the same state
  # (files made minutes after many were removed are slow to make on ext4).
  firsts=(); first_m=0; hugos=(); cmp="$work/cmp-$n"
  if [ -n "$hugo" ] && [ -d "$cmp" ]; then mv "$cmp" "$cmp.old-$$"; scratch+=("$cmp.old-$$"); fi
  for r in $(seq "$runs"); do
    first="$work/first-$n-$$-$r"; scratch+=("$first")
    build "$first"; read -r t m < "$work.time"
    firsts+=("$t"); [ "$m" -gt "$first_m" ] && first_m=$m
    [ -n "$hugo" ] && hugos+=("$(bench/hugo_pagefind.sh build "$lib" "$cmp" "$cmp/public-$r")")
  done
  first_t=$(median "${firsts[@]}")
  if [ -n "$hugo" ]; then
    hugo_times+=("$(median "${hugos[@]}")")
    # The last is the one Pagefind indexes; the others wait with the rest for the end.
    mv "$cmp/public-$runs" "$cmp/public"
    for r in $(seq $((runs - 1))); do scratch+=("$cmp/public-$r"); done
  fi
  # The builds timed: rebuilds of an unchanged library (files linked, the index's buckets kept).
  build "$site"
  times=(); rss=0
  for _ in $(seq "$runs"); do
    build "$site"; read -r t m < "$work.time"
    times+=("$t"); [ "$m" -gt "$rss" ] && rss=$m
  done
  # One record edited (a sentence added), built, and put back.
  record=$(find "$lib/cases" -name '*.md' | sort | sed -n 1p)
  cp "$record" "$work.record"
  printf '\n又补充一句：现场已复查。\n' >> "$record"
  build "$site"; read -r edited_t _ < "$work.time"
  cp "$work.record" "$record"; build "$site"
  median=$(median "${times[@]}")
  per=$(per_record "$median"); first_per=$(per_record "$first_t")
  size=$(du -sb "$site" | cut -f1); files=$(find "$site" -type f | wc -l)
  largest=$(find "$site/search" -type f -printf '%s\n' | sort -n | tail -1)
  cp "$work.harness.html" "$site/bench.html"
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
  cli_median=$(printf '%s\n' "${cli[@]}" | sort -n | sed -n "$(( (${#cli[@]} + 1) / 2 ))p")
  serve_ms=$(python3 bench/serve_rebuild.py "$bin" "$lib")
  # Builds with both, one and neither of the search indexes, interleaved (examples/index-cost.rs):
  # rebuilds of the unchanged library, rebuilds with one record edited, first builds.
  costs="$work/index-cost-$n-$$"; scratch+=("$costs")
  share() { # share NAME [--edited | --first]: builds in $costs/NAME
    ./target/release/examples/index-cost "$lib" "$runs" --scratch "$costs/$1" "${@:2}" |
    sed 's/.*index adds \(-\?[0-9]*\) %, both add \(-\?[0-9]*\) %/\1 % \/ \2 %/'; }
  index_share="$(share unchanged); edited $(share edited --edited)"
  # First builds take minutes each at 100,000 records: measured up to 10,000.
  [ "$n" -le 10000 ] && index_share="$index_share; first $(share first --first)"
  printf '| %s | %ss | %s | %s MB | %ss (%s MB) | %s | %ss | %s MB | %s | %s KB | %s KB | %s KB | %s ms | %s ms | %s ms | %s |\n' \
    "$n" "$median" "$per" "$((rss / 1024))" "$first_t" "$((first_m / 1024))" "$first_per" "$edited_t" \
    "$((size / 1048576))" "$files" \
    "$((largest / 1024))" "$((max_bytes / 1024))" "$((max_facets / 1024))" "$max_ms" "$cli_median" \
    "$serve_ms" "$index_share"
  medians+=("$median"); first_times+=("$first_t")
done

# Hugo (timed above, between casebook's first builds) and Pagefind on the same records,
# where they are installed (Debian's hugo; Pagefind from npm, found on PATH or given as
# PAGEFIND). PAGEFIND_UPTO=N: Pagefind is not run on libraries of more records (at 100,000 it
# needs more memory than a 24 GB machine has, and the kernel's out-of-memory killer may pick
# another process than Pagefind).
pagefind=${PAGEFIND:-$(command -v pagefind || true)}
echo
if [ -z "$hugo" ]; then
  echo "Hugo is not installed: no comparison with Hugo and Pagefind in this run."
  exit 0
fi
pagefind_name="Pagefind $([ -n "$pagefind" ] && "$pagefind" --version | cut -d' ' -f2 || echo '(not installed)')"
echo "Hugo $(hugo version | cut -d' ' -f2) (one page per record, minimal layouts) and $pagefind_name on the same records:"
echo
echo "| records | casebook build (first build) | Hugo build (median of $runs, each after a casebook first build) | casebook ÷ Hugo (first build ÷ Hugo) | Pagefind index | Pagefind first query (max, HTTP) | Pagefind results 网络舆情 / 網絡輿情 | casebook results 网络舆情 / 網絡輿情 |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for i in "${!sizes[@]}"; do
  n=${sizes[$i]}; hugo_s=${hugo_times[$i]}
  if [ -z "$pagefind" ]; then
    row="not installed | — | — / —"
  elif [ -n "${PAGEFIND_UPTO:-}" ] && [ "$n" -gt "$PAGEFIND_UPTO" ]; then
    row="not run (PAGEFIND_UPTO) | — | — / —"
  else
    row=$(PAGEFIND="$pagefind" bench/hugo_pagefind.sh index "$work/cmp-$n/public")
  fi
  ratio=$(awk -v a="${medians[$i]}" -v f="${first_times[$i]}" -v b="$hugo_s" 'BEGIN { printf "%.2f (%.2f)", a / b, f / b }')
  ours=$(for q in 网络舆情 網絡輿情; do "$bin" search "$q" --site "$work/site-$n" --limit 1000000 --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'; done | paste -sd/ | sed 's|/| / |')
  echo "| $n | ${medians[$i]}s (${first_times[$i]}s) | ${hugo_s}s | $ratio | $row | $ours |"
done
