// casebook serve: reload the page when the library is rebuilt, and show the library's errors
// over the page while it has any. Only pages served by `casebook serve` load this script.
(function () {
  "use strict";
  var version = null;
  var OVERLAY = "cb-live-errors";

  function clearOverlay() {
    var old = document.getElementById(OVERLAY);
    if (old) old.parentNode.removeChild(old);
  }

  function showOverlay(errors) {
    clearOverlay();
    var box = document.createElement("section");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.setAttribute("aria-label", "资料错误");
    box.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:2147483647;max-height:60vh;" +
      "overflow:auto;margin:0;padding:1em 1.5em;background:#fff4f4;color:#5c0000;" +
      "border-bottom:4px solid #b00020;font:15px/1.6 sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3)";
    var h = document.createElement("h2");
    h.style.cssText = "margin:0 0 .5em;font-size:1.1em";
    h.textContent = "资料有 " + errors.length + " 处错误，页面显示的是上次成功生成的版本。改正后自动刷新。";
    box.appendChild(h);
    var list = document.createElement("ol");
    list.style.cssText = "margin:0;padding-left:1.5em";
    errors.forEach(function (e) {
      var item = document.createElement("li");
      var where = document.createElement("code");
      where.textContent = e.file + (e.line ? ":" + e.line + ":" + e.col : "");
      item.appendChild(where);
      item.appendChild(document.createTextNode(" " + e.message));
      if (e.hint) {
        var hint = document.createElement("div");
        hint.style.color = "#333";
        hint.textContent = "提示：" + e.hint;
        item.appendChild(hint);
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "关闭";
    close.style.cssText = "margin-top:.5em";
    close.addEventListener("click", clearOverlay);
    box.appendChild(close);
    document.body.appendChild(box);
  }

  function poll() {
    var url = "/_casebook/status" + (version === null ? "" : "?since=" + version);
    fetch(url, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        var rebuilt = version !== null && s.version !== version;
        version = s.version;
        if (s.errors.length) {
          showOverlay(s.errors);
        } else if (rebuilt) {
          location.reload();
          return;
        } else {
          clearOverlay();
        }
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
