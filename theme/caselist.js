// The full case list, filtered and sorted in the browser. Progressive enhancement: without
// JavaScript the paginated pages are the complete list; with it, this script loads every row
// (data/cases.js sets window.casebookCases) and shows one sortable, filterable table.
// Rows are built with DOM calls and textContent only, so no record text is parsed as HTML.
(function () {
  "use strict";
  var data = window.casebookCases;
  var list = document.getElementById("cb-case-list");
  var form = document.getElementById("cb-case-filter");
  if (!data || !list || !form) return;
  var table = list.querySelector("table");
  var tbody = table && table.querySelector("tbody");
  if (!tbody) return;
  var root = list.getAttribute("data-root") || "";
  var F = data.fields;
  var rows = data.rows.map(function (r) {
    var o = {};
    F.forEach(function (name, i) { o[name] = r[i]; });
    return o;
  });
  // Column order of the table, and the field each column sorts by.
  var columns = ["id", "title", "category", "warning", "level", "department", "discovered", "response", "status"];
  var warnClass = { "红": "red", "橙": "orange", "黄": "yellow", "蓝": "blue" };
  var sortKey = "discovered";
  var sortDir = -1;
  // The keyword is matched as search matches it: Traditional and Simplified, full and half
  // width alike, with the build's table once it is loaded (lower case until then).
  var fold = function (t) { return t.toLowerCase(); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function renderRow(r) {
    var tr = el("tr");
    tr.appendChild(el("td", "nowrap", r.id));
    var title = el("td");
    var a = el("a", null, r.title);
    a.href = root + r.href;
    title.appendChild(a);
    if (r.typical) { title.appendChild(document.createTextNode(" ")); title.appendChild(el("span", "badge typical", "典型")); }
    tr.appendChild(title);
    tr.appendChild(el("td", null, r.category));
    var w = el("td");
    if (r.warning) w.appendChild(el("span", "badge warn-" + (warnClass[r.warning] || "blue"), r.warning + "色预警"));
    tr.appendChild(w);
    tr.appendChild(el("td", null, r.level || "—"));
    tr.appendChild(el("td", null, r.department));
    tr.appendChild(el("td", "nowrap", r.discovered));
    var resp = el("td");
    resp.appendChild(el("span", "badge response-" + r.response_class, r.response));
    tr.appendChild(resp);
    var st = el("td");
    st.appendChild(el("span", "badge " + (r.closed ? "status-closed" : "status-open"), r.status));
    tr.appendChild(st);
    return tr;
  }

  function matches(r, f) {
    if (f.q) {
      var hay = fold(r.id + " " + r.title + " " + r.department + " " + (r.region || ""));
      var words = fold(f.q).split(/\s+/);
      for (var i = 0; i < words.length; i++) if (words[i] && hay.indexOf(words[i]) < 0) return false;
    }
    if (f.category && r.category !== f.category) return false;
    if (f.warning && r.warning !== f.warning) return false;
    if (f.level && r.level !== f.level) return false;
    if (f.status && r.status !== f.status) return false;
    if (f.department && r.department !== f.department) return false;
    if (f.year && r.discovered.slice(0, 4) !== f.year) return false;
    return true;
  }

  function update() {
    var f = {};
    Array.prototype.forEach.call(form.elements, function (e) { if (e.name) f[e.name] = e.value.trim(); });
    var shown = rows.filter(function (r) { return matches(r, f); });
    shown.sort(function (a, b) {
      var x = a[sortKey] || "", y = b[sortKey] || "";
      return x < y ? -sortDir : x > y ? sortDir : 0;
    });
    var frag = document.createDocumentFragment();
    shown.forEach(function (r) { frag.appendChild(renderRow(r)); });
    tbody.textContent = "";
    tbody.appendChild(frag);
    document.getElementById("cb-case-count").textContent = "显示 " + shown.length + " 件，共 " + rows.length + " 件";
  }

  Array.prototype.forEach.call(table.querySelectorAll("thead th"), function (th, i) {
    var key = columns[i];
    if (!key) return;
    var b = el("button", "sort", th.textContent);
    b.type = "button";
    th.textContent = "";
    th.appendChild(b);
    th.setAttribute("aria-sort", key === sortKey ? "descending" : "none");
    b.addEventListener("click", function () {
      sortDir = key === sortKey ? -sortDir : 1;
      sortKey = key;
      Array.prototype.forEach.call(table.querySelectorAll("thead th"), function (o) { o.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      update();
    });
  });
  // A filter can be given in the address (cases/index.html?q=噪音&category=问题类).
  var params = new URLSearchParams(location.search);
  Array.prototype.forEach.call(form.elements, function (e) {
    if (e.name && params.has(e.name)) e.value = params.get(e.name);
  });
  if (window.casebook && window.casebook.folding) {
    window.casebook.folding().then(function (f) { fold = f; update(); }, function () {});
  }
  form.hidden = false;
  form.addEventListener("input", update);
  form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
  var pager = document.getElementById("cb-pager");
  if (pager) pager.hidden = true;
  update();
})();
