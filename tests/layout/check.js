// The layout rules of the site, checked on a page laid out at `width` CSS pixels; returns
// what breaks them. No table runs past the main column or the window; at desktop widths a
// table in a scrolling box fits that box, and no short cell (category, department, warning)
// wraps onto a second line; the search box keeps its field and button on one line.
function checkLayout(doc, width) {
  var problems = [];
  var win = doc.defaultView;
  function scroller(el) {
    for (var p = el.parentElement; p && p !== doc.body; p = p.parentElement) {
      var o = win.getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll") return p;
    }
    return null;
  }
  // How many lines the text of `el` takes: the distinct bottoms of its text's boxes.
  function lines(el) {
    var walker = doc.createTreeWalker(el, 4);
    var bottoms = [];
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim()) continue;
      var r = doc.createRange();
      r.selectNodeContents(n);
      Array.prototype.forEach.call(r.getClientRects(), function (c) {
        if (c.width > 0 && !bottoms.some(function (b) { return Math.abs(b - c.bottom) < 4; })) bottoms.push(c.bottom);
      });
    }
    return bottoms.length;
  }
  Array.prototype.forEach.call(doc.querySelectorAll("table"), function (t, i) {
    if (t.closest("[hidden]") || t.offsetParent === null) return;
    var box = scroller(t);
    var caption = t.querySelector("caption");
    var name = (caption || t.closest("section") && t.closest("section").querySelector("h2,h3") || {}).textContent || ("table " + i);
    var limit = box ? box.clientWidth : t.parentElement.clientWidth;
    var main = doc.querySelector("main") || doc.body;
    if (!box && t.getBoundingClientRect().right > main.getBoundingClientRect().right + 1) problems.push("overflows: " + name.trim());
    if (box && width >= 1366 && t.scrollWidth > box.clientWidth + 1) problems.push("scrolls at " + width + ": " + name.trim());
    if (width >= 1366 || !box) {
      Array.prototype.forEach.call(t.querySelectorAll("td,th"), function (c) {
        var text = c.textContent.trim();
        if (text.length > 0 && text.length <= 6 && lines(c) > 1) problems.push("wraps '" + text + "' in " + name.trim());
      });
    }
  });
  if (doc.documentElement.scrollWidth > win.innerWidth + 1) problems.push("page wider than window: " + doc.documentElement.scrollWidth);
  var search = doc.querySelector(".site-search, form[role=search]");
  if (search) {
    var fields = search.querySelectorAll("input,button");
    var boxes = Array.prototype.map.call(fields, function (f) { return f.getBoundingClientRect(); });
    var apart = boxes.some(function (a) { return boxes.some(function (b) { return a.top >= b.bottom - 1; }); });
    if (apart) problems.push("search box wraps");
  }
  return problems;
}
