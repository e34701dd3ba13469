// casebook search, in the browser, with no server: the index in search/ is a set of .js files
// that register themselves (casebook.meta / .shard / .list / .facets / .doc), loaded through
// <script> tags so that it works from a shared drive (file://) as well as over HTTP. A query
// loads meta.js, the shards of its terms, the lists of its frequent terms (l/N.js) and the
// documents on screen; facets.js (facet values and codes) only when counts are drawn or a
// filter is set.
//
// The query is cut exactly as the build cut the records (src/text/analyzer.rs): folded
// (Traditional → Simplified with the build's own table, full-width → half-width, lower case),
// then Han runs become character pairs (a lone character stands for itself) and letter/digit
// runs become words. Every term must match. Record text is only ever inserted with
// textContent, never parsed as HTML.
(function () {
  "use strict";
  var cb = (window.casebook = window.casebook || {});
  var root = document.documentElement.getAttribute("data-root") || "";
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";
  var DIGIT = {};
  for (var i = 0; i < DIGITS.length; i++) DIGIT[DIGITS.charAt(i)] = i;
  var PAGE = 10;
  var FACET_KEYS = ["kind", "category", "warning", "level", "department", "year"];
  // The 类型 of records (the first value of the kind facet's stretch of documents).
  var CASE = "事件";

  var meta = null;
  var foldMap = null;
  var facetData = null;
  var shards = {};
  var lists = {};
  var docs = {};
  var loading = {};
  cb.loaded = [];

  cb.meta = function (m) {
    meta = m;
    foldMap = {};
    var f = Array.from(m.fold);
    for (var i = 0; i + 1 < f.length; i += 2) foldMap[f[i]] = f[i + 1];
  };
  cb.shard = function (k, data) { shards[k] = data; };
  cb.list = function (n, list) { lists[n] = list; };
  cb.facets = function (f) {
    // The document's code packs every facet without runs: a facet's value is a digit of it
    // in mixed radix (see static_index.rs).
    var unit = 1;
    f.facets.forEach(function (facet) {
      if (facet.runs) return;
      facet.unit = unit;
      unit *= Math.max(facet.values.length, 1);
    });
    facetData = f;
  };
  cb.doc = function (n, d) { docs[n] = d; };

  function load(src) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = root + src;
        s.async = true;
        s.onload = function () { cb.loaded.push(src); resolve(); };
        s.onerror = function () { reject(new Error("无法加载 " + src)); };
        document.head.appendChild(s);
      });
    }
    return loading[src];
  }
  function ensureMeta() { return meta ? Promise.resolve() : load("search/meta.js"); }
  function ensureFacets() { return facetData ? Promise.resolve() : load("search/facets.js"); }

  // ---- the analyzer, mirrored ----
  function foldChar(c) {
    var n = c.codePointAt(0);
    if (n >= 0xff01 && n <= 0xff5e) return String.fromCharCode(n - 0xfee0).toLowerCase();
    if (n === 0x3000) return " ";
    if (n < 128) return c.toLowerCase();
    return (foldMap && foldMap[c]) || c;
  }
  function fold(text) { return Array.from(text).map(foldChar).join(""); }
  var LETTER = /\p{Alphabetic}/u;
  // Han, kana and Hangul: cut into characters and pairs (analyzer::is_cut_by_character).
  function isCjk(c) {
    var n = c.codePointAt(0);
    if ((n >= 0x3400 && n <= 0x4dbf) || (n >= 0x4e00 && n <= 0x9fff) ||
      (n >= 0xf900 && n <= 0xfaff) || (n >= 0x20000 && n <= 0x2ffff)) return true;
    var syllabic = (n >= 0x1100 && n <= 0x11ff) || (n >= 0x3040 && n <= 0x30ff) ||
      (n >= 0x3130 && n <= 0x318f) || (n >= 0x31f0 && n <= 0x31ff) || (n >= 0xa960 && n <= 0xa97f) ||
      (n >= 0xac00 && n <= 0xd7ff) || (n >= 0xff66 && n <= 0xff9f);
    return syllabic && LETTER.test(c);
  }
  var WORD = /^[\p{Alphabetic}\p{N}]$/u;
  function isWord(c) { return WORD.test(c) && !isCjk(c); }
  // A word's grams (analyzer::has_grams): GRAM characters at a time, for a word longer than
  // that with a letter in it.
  var GRAM = 3;
  function grams(cs) {
    if (cs.length <= GRAM || !cs.some(function (c) { return LETTER.test(c); })) return [];
    var out = [];
    for (var k = 0; k + GRAM <= cs.length; k++) out.push(cs.slice(k, k + GRAM).join(""));
    return out;
  }

  // Terms of a text, as in analyzer::terms (without positions).
  function terms(text) {
    var cs = Array.from(fold(text));
    var out = [];
    for (var k = 0; k < cs.length;) {
      var c = cs[k];
      if (isCjk(c)) {
        out.push(c);
        if (k + 1 < cs.length && isCjk(cs[k + 1])) out.push(c + cs[k + 1]);
        k += 1;
      } else if (isWord(c)) {
        var j = k;
        while (j + 1 < cs.length && isWord(cs[j + 1])) j++;
        out.push(cs.slice(k, j + 1).join(""));
        out.push.apply(out, grams(cs.slice(k, j + 1)));
        k = j + 1;
      } else {
        k += 1;
      }
    }
    return out;
  }
  // The terms a query requires, as in analyzer::query_terms.
  function queryTerms(q) {
    var cs = Array.from(fold(q));
    var out = [];
    function add(t) { if (out.indexOf(t) < 0) out.push(t); }
    for (var k = 0; k < cs.length;) {
      if (isCjk(cs[k])) {
        var j = k;
        while (j + 1 < cs.length && isCjk(cs[j + 1])) j++;
        if (j === k) add(cs[k]);
        for (var p = k; p < j; p++) add(cs[p] + cs[p + 1]);
        k = j + 1;
      } else if (isWord(cs[k])) {
        var e = k;
        while (e + 1 < cs.length && isWord(cs[e + 1])) e++;
        var word = cs.slice(k, e + 1), gs = grams(word);
        // A word with grams is found by its grams, also inside a longer word.
        if (gs.length) gs.forEach(add); else add(word.join(""));
        k = e + 1;
      } else {
        k += 1;
      }
    }
    return out;
  }
  // The runs of a query (whole words as typed, folded), for snippets and highlighting.
  function runs(q) {
    return fold(q).split(/[^\p{Alphabetic}\p{N}]+/u).filter(function (r) { return r; });
  }
  function shardOf(term) {
    var bytes = new TextEncoder().encode(term);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % meta.shards;
  }
  cb.analyze = { fold: fold, terms: terms, queryTerms: queryTerms, shardOf: function (t) { return shardOf(t); } };
  // The fold with the build's table, once meta.js is loaded: the case list filters with it.
  cb.folding = function () { return ensureMeta().then(function () { return fold; }); };

  // A posting list: delta-coded (document, weight) pairs, or for a term in many documents
  // "!" + a bitmap (six documents a letter) + "!" + its title hits, delta-coded or as
  // "!" + another bitmap (see static_index.rs).
  function decode(s) {
    var out = new Map();
    var v = 0, doc = 0, i = 0;
    function bitmap(from, to, weight) {
      for (var i = from; i < to; i++) {
        var bits = DIGIT[s.charAt(i)];
        for (var k = 0; k < 6; k++) if (bits & (1 << k)) out.set((i - from) * 6 + k, weight);
      }
    }
    if (s.charAt(0) === "!") {
      var end = s.indexOf("!", 1);
      bitmap(1, end, 1);
      if (s.charAt(end + 1) === "!") {
        bitmap(end + 2, s.length, 9);
        return out;
      }
      for (i = end + 1; i < s.length; i++) {
        var t = DIGIT[s.charAt(i)];
        v = v * 32 + (t & 31);
        if (t < 32) { doc += v; out.set(doc - 1, 9); v = 0; }
      }
      return out;
    }
    for (i = 0; i < s.length; i++) {
      var d = DIGIT[s.charAt(i)];
      v = v * 32 + (d & 31);
      if (d < 32) {
        doc += Math.floor(v / 16);
        out.set(doc - 1, v % 16);
        v = 0;
      }
    }
    return out;
  }

  function facetValue(doc, f) {
    if (f.runs) {
      // The last run starting at or before `doc`.
      var lo = 0, hi = f.runs.length - 1;
      while (lo < hi) {
        var mid = (lo + hi + 1) >> 1;
        if (f.runs[mid][0] <= doc) lo = mid; else hi = mid - 1;
      }
      return f.values[f.runs[lo][1]];
    }
    var v = 0, width = facetData.codeWidth;
    for (var i = 0; i < width; i++) v = v * 64 + DIGIT[facetData.codes.charAt(doc * width + i)];
    return f.values[Math.floor(v / f.unit) % f.values.length];
  }

  // A term's posting list as its shard holds it: the list, or the number of its own file.
  function entry(t) {
    var shard = shards[shardOf(t)] || {};
    return Object.prototype.hasOwnProperty.call(shard, t) ? shard[t] : "";
  }
  function loadAll(srcs) {
    var unique = srcs.filter(function (s, i) { return srcs.indexOf(s) === i; });
    return Promise.all(unique.map(load));
  }

  // Run a query: resolves to { terms, hits: [doc numbers, best first] }. With filters set it
  // loads facets.js to apply them.
  function run(q, filters) {
    filters = filters || {};
    var filtered = FACET_KEYS.some(function (k) { return filters[k]; });
    return ensureMeta().then(function () {
      var ts = queryTerms(q);
      if (!ts.length) return { terms: ts, hits: [] };
      return loadAll(ts.map(function (t) { return "search/s/" + shardOf(t) + ".js"; })).then(function () {
        var own = ts.map(entry).filter(function (e) { return typeof e === "number"; });
        var more = own.map(function (n) { return "search/l/" + n + ".js"; });
        return loadAll(filtered ? more.concat(["search/facets.js"]) : more);
      }).then(function () {
        var found = ts.map(function (t) {
          var e = entry(t);
          return decode(typeof e === "number" ? lists[e] : e);
        });
        found.sort(function (a, b) { return a.size - b.size; });
        var scores = new Map();
        found[0].forEach(function (w, doc) { scores.set(doc, 0); });
        found.forEach(function (list) {
          var idf = Math.log(1 + meta.docs / Math.max(1, list.size));
          scores.forEach(function (s, doc) {
            var w = list.get(doc);
            if (w === undefined) scores.delete(doc);
            else scores.set(doc, s + idf * (1 + w));
          });
        });
        var hits = Array.from(scores.keys());
        if (filtered) {
          hits = hits.filter(function (doc) {
            return facetData.facets.every(function (f) {
              return !filters[f.key] || facetValue(doc, f) === filters[f.key];
            });
          });
        }
        hits.sort(function (a, b) { return scores.get(b) - scores.get(a) || a - b; });
        return { terms: ts, hits: hits };
      });
    });
  }
  // Facet counts over `hits`: [{ key, label, values: [{ value, count }] }], most frequent
  // first. A value in `filters` is listed even when no hit has it, so it can be switched off.
  function facetCounts(hits, filters) {
    filters = filters || {};
    return ensureFacets().then(function () {
      return facetData.facets.map(function (f) {
        var counts = {};
        if (filters[f.key]) counts[filters[f.key]] = 0;
        var kind = facetData.facets.filter(function (k) { return k.key === "kind"; })[0];
        hits.forEach(function (doc) {
          // A facet only records have counts only records.
          if (f.cases && kind && facetValue(doc, kind) !== CASE) return;
          var v = facetValue(doc, f);
          counts[v] = (counts[v] || 0) + 1;
        });
        var values = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); });
        return { key: f.key, label: f.label, values: values.map(function (v) { return { value: v, count: counts[v] }; }) };
      });
    });
  }
  function loadDocs(ns) {
    return Promise.all(ns.map(function (n) { return load("search/d/" + n + ".js"); })).then(function () {
      return ns.map(function (n) { return docs[n]; });
    });
  }
  cb.search = run;
  cb.facetCounts = facetCounts;
  cb.loadDocs = loadDocs;

  // ---- snippets and highlighting ----
  // Ranges [start, end) in `text` (UTF-16 indices) where the query's runs — or, when a run
  // is not there whole, its terms — occur. Folding keeps positions.
  function matches(text, q) {
    var folded = fold(text);
    var ranges = [];
    runs(q).forEach(function (r) {
      var needles = folded.indexOf(r) >= 0 ? [r] : queryTerms(r);
      needles.forEach(function (n) {
        if (!n) return;
        for (var at = folded.indexOf(n); at >= 0; at = folded.indexOf(n, at + n.length)) ranges.push([at, at + n.length]);
      });
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }
  // Append `text` to `parent`, with the ranges in <mark>.
  function appendMarked(parent, text, ranges) {
    var at = 0;
    ranges.forEach(function (r) {
      if (r[0] > at) parent.appendChild(document.createTextNode(text.slice(at, r[0])));
      var m = document.createElement("mark");
      m.textContent = text.slice(r[0], r[1]);
      parent.appendChild(m);
      at = r[1];
    });
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }
  function snippet(text, q) {
    var ranges = matches(text, q);
    var start = ranges.length ? Math.max(0, ranges[0][0] - 40) : 0;
    var end = Math.min(text.length, start + 120);
    var p = document.createElement("p");
    p.className = "snippet";
    var inside = ranges.filter(function (r) { return r[0] >= start && r[1] <= end; })
      .map(function (r) { return [r[0] - start, r[1] - start]; });
    appendMarked(p, text.slice(start, end), inside);
    if (start > 0) p.insertBefore(document.createTextNode("…"), p.firstChild);
    if (end < text.length) p.appendChild(document.createTextNode("…"));
    return p;
  }

  function highlightPage(q) {
    var main = document.getElementById("cb-main");
    if (!main) return;
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var first = null;
    nodes.forEach(function (node) {
      if (!node.nodeValue.trim() || node.parentNode.closest("script, style, mark")) return;
      var ranges = matches(node.nodeValue, q);
      if (!ranges.length) return;
      var span = document.createElement("span");
      appendMarked(span, node.nodeValue, ranges);
      first = first || span.querySelector("mark");
      node.parentNode.replaceChild(span, node);
    });
    if (first) first.scrollIntoView({ block: "center" });
  }

  // ---- the search page ----
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function params() {
    var p = new URLSearchParams(location.search);
    var o = { q: p.get("q") || "" };
    FACET_KEYS.forEach(function (k) { if (p.get(k)) o[k] = p.get(k); });
    return o;
  }

  function searchPage(box) {
    var form = box.querySelector("form");
    var input = box.querySelector("input[name=q]");
    var status = document.getElementById("cb-status");
    var list = document.getElementById("cb-results");
    var facetBox = document.getElementById("cb-facets");
    var more = document.getElementById("cb-more");
    var state = params();
    var current = null;
    var shown = 0;
    var queries = 0;
    input.value = state.q;

    function showMore() {
      var batch = current.hits.slice(shown, shown + PAGE);
      shown += batch.length;
      more.hidden = shown >= current.hits.length;
      return loadDocs(batch).then(function (ds) {
        ds.forEach(function (d, i) {
          var li = el("li", "result");
          li.setAttribute("data-id", d.id);
          var h = el("h2");
          // A page's id is its file name: only records, plans and summaries show theirs.
          var a = el("a", null, d.kind === "其他页面" ? d.title : d.id + " " + d.title);
          a.href = root + d.href + "?q=" + encodeURIComponent(state.q);
          h.appendChild(a);
          li.appendChild(h);
          var kind = d.kind === CASE ? "" : d.kind;
          li.appendChild(el("p", "result-meta", [kind, d.category, d.warning ? d.warning + "色预警" : "", d.department, d.date].filter(Boolean).join(" · ")));
          li.appendChild(snippet(d.text, state.q));
          list.appendChild(li);
        });
      });
    }

    function renderFacets(facets) {
      facetBox.textContent = "";
      facets.forEach(function (f) {
        if (!f.values.length) return;
        var group = el("fieldset", "facet");
        group.appendChild(el("legend", null, f.label));
        f.values.forEach(function (v) {
          var b = el("button", "facet-value", (v.value || "未标注") + "（" + v.count + "）");
          b.type = "button";
          var on = state[f.key] === v.value;
          b.setAttribute("aria-pressed", on ? "true" : "false");
          b.addEventListener("click", function () {
            if (on) delete state[f.key]; else state[f.key] = v.value;
            go();
          });
          group.appendChild(b);
        });
        facetBox.appendChild(group);
      });
    }

    function go() {
      var url = new URLSearchParams();
      Object.keys(state).forEach(function (k) { if (state[k]) url.set(k, state[k]); });
      try { history.replaceState(null, "", "?" + url.toString()); } catch (e) { /* file:// may refuse */ }
      list.textContent = "";
      facetBox.textContent = "";
      more.hidden = true;
      box.setAttribute("data-state", "busy");
      if (!state.q.trim()) {
        status.textContent = "请输入要查找的词语，例如单位、地名、事件关键词或案例编号。";
        box.setAttribute("data-state", "idle");
        return Promise.resolve();
      }
      status.textContent = "正在搜索…";
      var filters = {};
      Object.keys(state).forEach(function (k) { if (k !== "q") filters[k] = state[k]; });
      var asked = ++queries;
      // The results first; the facet counts (facets.js) once the first results are shown.
      return run(state.q, filters).then(function (r) {
        if (asked !== queries) return;
        current = r;
        shown = 0;
        var shownFirst;
        if (!r.hits.length) {
          status.textContent = "没有找到与“" + state.q + "”相关的内容。可以换个说法、减少词语，或去掉筛选条件。";
          shownFirst = Promise.resolve();
        } else {
          status.textContent = "找到 " + r.hits.length + " 条相关结果。";
          shownFirst = showMore();
        }
        return shownFirst.then(function () {
          // The results stand even if the counts cannot be loaded.
          return facetCounts(r.hits, filters).then(function (facets) {
            if (asked === queries) renderFacets(facets);
          }, function (e) {
            if (asked === queries) facetBox.textContent = "筛选项加载失败：" + e.message;
          });
        }).then(function () {
          if (asked === queries) box.setAttribute("data-state", "done");
        });
      }).catch(function (e) {
        status.textContent = "搜索索引加载失败：" + e.message;
        box.setAttribute("data-state", "error");
      });
    }

    // Search as you type, a quarter second after the last key (not while an input method is
    // still composing a word); Enter searches at once.
    var typing = null;
    function typed() {
      clearTimeout(typing);
      typing = setTimeout(function () {
        if (input.value === state.q) return;
        state = { q: input.value };
        go();
      }, 250);
    }
    input.addEventListener("input", function (e) { if (!e.isComposing) typed(); });
    input.addEventListener("compositionend", typed);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      clearTimeout(typing);
      state = { q: input.value };
      go();
    });
    more.addEventListener("click", function () { showMore(); });
    // Keyboard: arrows move between the box and the results, Esc clears or returns.
    box.addEventListener("keydown", function (e) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && links.length) {
        e.preventDefault();
        links[Math.min(at + 1, links.length - 1)].focus();
      } else if (e.key === "ArrowUp" && at >= 0) {
        e.preventDefault();
        if (at === 0) input.focus(); else links[at - 1].focus();
      } else if (e.key === "Escape") {
        if (document.activeElement === input) {
          input.value = "";
          state = { q: "" };
          go();
        } else {
          input.focus();
        }
      }
    });
    cb.page = { go: function (q, filters) { state = Object.assign({ q: q }, filters || {}); input.value = q; return go(); } };
    ensureMeta().then(function () { state = params(); return go(); }).catch(function (e) {
      status.textContent = "搜索索引加载失败：" + e.message;
      box.setAttribute("data-state", "error");
    });
  }

  function start() {
    var box = document.getElementById("cb-search-page");
    if (box) { searchPage(box); return; }
    var q = new URLSearchParams(location.search).get("q");
    if (q) {
      ensureMeta().then(function () { highlightPage(q); }).catch(function () { /* no index: no highlight */ });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
