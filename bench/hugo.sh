#!/usr/bin/env bash
# Hugo building the same generated library, as a fair peer for bench/run.sh: a page per
# record, and the listings casebook makes — taxonomies for category, department, region,
# platform, tag and month (each term's page listing its records, 200 a page, as casebook's
# do), and the case list (50 a page). Hugo cannot group by a part of a date, so it reads a
# copy of the records with `month = "YYYY-MM"` added to each (made once, before any timing).
# casebook's pages show more per record, so Hugo does somewhat less work.
#   bench/hugo.sh LIBRARY SITE DEST   builds LIBRARY's records into DEST, a folder no build
#     has written (SITE holds the configuration and layouts); prints the
#     seconds.
#   bench/hugo.sh --describe          says what is built, for the report.
set -euo pipefail
if [ "$1" = --describe ]; then
  echo "a page per record; taxonomies for category, department, region, platforms, tags and month (200 a page); the case list (50 a page); minimal layouts"
  exit 0
fi
lib=$1; site=$2; dest=$3
content="$lib.hugo-content"
if [ ! -d "$content" ]; then
  python3 - "$lib/cases" "$content.tmp" <<'PY'
import os, re, sys
src, dst = sys.argv[1], sys.argv[2]
for folder, _, files in os.walk(src):
    for name in files:
        if not name.endswith(".md"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            text = f.read()
        text = re.sub(r"^(discovered_at = (\d{4}-\d{2}).*)$", r'\1\nmonth = "\2"', text,
                      count=1, flags=re.M)
        out = os.path.join(dst, os.path.relpath(folder, src))
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(text)
PY
  mv "$content.tmp" "$content"
fi
mkdir -p "$site/layouts/_default"
cat > "$site/hugo.toml" <<TOML
baseURL = "/"
languageCode = "zh-cn"
contentDir = "$content"
disableKinds = ["RSS", "sitemap"]
paginate = 50
[taxonomies]
category = "category"
department = "department"
region = "region"
platform = "platforms"
tag = "tags"
month = "month"
TOML
if [ ! -f "$site/layouts/index.html" ]; then
  row='<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ .Params.category }}</td><td>{{ .Params.department }}</td><td>{{ .Params.discovered_at }}</td></tr>'
  cat > "$site/layouts/_default/single.html" <<'HTML'
<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><p>{{ .Params.category }} {{ .Params.department }} {{ .Params.region }}</p>{{ .Content }}</main></body></html>
HTML
  cat > "$site/layouts/_default/list.html" <<HTML
<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><table>{{ range (.Paginate .Pages 50).Pages }}$row{{ end }}</table>{{ template "_internal/pagination.html" . }}</body></html>
HTML
  cat > "$site/layouts/_default/term.html" <<HTML
<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><table>{{ range (.Paginate .Pages 200).Pages }}$row{{ end }}</table>{{ template "_internal/pagination.html" . }}</body></html>
HTML
  cat > "$site/layouts/_default/taxonomy.html" <<'HTML'
<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul></body></html>
HTML
  cp "$site/layouts/_default/list.html" "$site/layouts/index.html"
fi
t0=$(date +%s.%N)
hugo --quiet --source "$site" --destination "$dest" >/dev/null 2>&1
t1=$(date +%s.%N)
awk -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.3f\n", t1 - t0 }'
