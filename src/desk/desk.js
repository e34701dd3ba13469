// casebook serve: the record form. Collects the fields into the format's names, saves them
// through /_casebook/save, and shows every problem next to its field. Nothing typed is lost:
// on a problem, a conflict or a failed save the form keeps its input.
(function () {
  "use strict";
  var form = document.getElementById("desk");
  if (!form) return;
  var body = form.elements.body;
  var bodyAtStart = body.value;
  var saving = false;

  function each(list, f) { Array.prototype.forEach.call(list, f); }

  // A request to serve's desk: it needs the form's token.
  function post(url, type, content) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": type, "X-Casebook-Token": form.dataset.token },
      body: content
    });
  }

  form.addEventListener("click", function (e) {
    var t = e.target;
    var set = t.closest && t.closest("fieldset.rows");
    if (t.classList.contains("add") && set) {
      var list = set.querySelector("ol");
      list.appendChild(set.querySelector("template").content.cloneNode(true));
      var first = list.lastElementChild.querySelector("input,select");
      if (first) first.focus();
    } else if (t.classList.contains("remove") && set) {
      t.closest("li").remove();
      set.querySelector(".add").focus();
    }
  });

  // The body as the page will show it, a moment after the clerk stops typing.
  var previewTimer = null;
  function preview() {
    post("/_casebook/preview", "text/markdown; charset=utf-8", body.value)
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { document.getElementById("preview-body").innerHTML = html; })
      .catch(function () {});
  }
  body.addEventListener("input", function () {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(preview, 400);
  });
  preview();

  // A picker adds the word chosen (a record's id, without its title) to its list field.
  each(form.querySelectorAll("input[data-adds-to]"), function (picker) {
    picker.addEventListener("change", function () {
      var word = picker.value.trim().split(/\s+/)[0];
      if (!word) return;
      var target = document.getElementById(picker.dataset.addsTo);
      var words = target.value.split(/[、，,；;]/).map(function (w) { return w.trim(); }).filter(Boolean);
      if (words.indexOf(word) < 0) words.push(word);
      target.value = words.join("、");
      picker.value = "";
    });
  });

  function collect(draft) {
    var data = {
      path: form.dataset.path || null,
      kind: form.dataset.kind,
      base: form.dataset.base || null,
      draft: draft,
      fields: {},
      timeline: [],
      documents: [],
      body: body.value === bodyAtStart ? null : body.value
    };
    each(form.elements, function (el) {
      if (!el.name || el.name === "save" || el.name === "body" || el.name.indexOf(".") >= 0) return;
      var value;
      if (el.type === "checkbox") value = el.checked ? "true" : "";
      else if (el.multiple) {
        value = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; }).join("、");
      } else value = el.value;
      data.fields[el.name] = value;
    });
    ["timeline", "documents"].forEach(function (table) {
      each(form.querySelectorAll('fieldset[data-table="' + table + '"] > ol > li'), function (li) {
        var row = {};
        each(li.querySelectorAll("input,select"), function (el) { row[el.name.split(".")[1]] = el.value; });
        data[table].push(row);
      });
    });
    return data;
  }

  function clear() {
    document.getElementById("problems").textContent = "";
    document.getElementById("conflict").hidden = true;
    each(form.querySelectorAll(".problem"), function (p) { p.textContent = ""; p.classList.remove("warning"); });
    each(form.querySelectorAll(".invalid"), function (f) { f.classList.remove("invalid"); });
  }

  function say(text) {
    var top = document.getElementById("problems");
    var p = document.createElement("p");
    p.textContent = text;
    top.appendChild(p);
    top.scrollIntoView();
  }

  function showProblems(problems) {
    var errors = problems.filter(function (p) { return !p.warning; }).length;
    say("有 " + errors + " 处错误，没有保存；请按各项下面的说明改正后再保存。");
    var first = null;
    problems.forEach(function (p) {
      var where = document.getElementById("problem-" + p.field);
      var text = p.message + (p.hint ? "（" + p.hint + "）" : "");
      if (!where) { say(text); return; }
      where.textContent = (where.textContent ? where.textContent + "\n" : "") + text;
      if (p.warning) where.classList.add("warning");
      else {
        var field = document.getElementById("field-" + p.field);
        if (field) field.classList.add("invalid");
        if (!first && field) first = field.querySelector("input,select,textarea");
      }
    });
    if (first) first.focus();
  }

  function showConflict(reply) {
    say(reply.message);
    var box = document.getElementById("conflict");
    document.getElementById("disk").textContent = reply.disk;
    box.hidden = false;
  }

  // The page is shown once the library has been rebuilt with the saved file.
  function open(page, since) {
    fetch("/_casebook/status?since=" + since, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.version === since) return open(page, since);
        window.location.href = "/" + page;
      })
      .catch(function () { window.location.href = "/" + page; });
  }

  // The whole page as it will be published, rendered by serve from what the form holds now.
  document.getElementById("show-page").addEventListener("click", function () {
    var box = document.getElementById("page-preview-box");
    var note = document.getElementById("page-preview-note");
    box.hidden = false;
    note.textContent = "正在生成预览…";
    post("/_casebook/preview-page", "application/json", JSON.stringify(collect(false)))
      .then(function (r) { return r.text().then(function (t) { return { ok: r.ok, text: t }; }); })
      .then(function (res) {
        if (res.ok) {
          note.textContent = "以下是保存后页面的样子（尚未保存）。";
          document.getElementById("page-preview").srcdoc = res.text;
        } else note.textContent = res.text;
        box.scrollIntoView();
      })
      .catch(function () { note.textContent = "无法连接预览服务。"; });
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (saving) return;
    var draft = !!(e.submitter && e.submitter.value === "draft");
    clear();
    saving = true;
    post("/_casebook/save", "application/json", JSON.stringify(collect(draft)))
      .then(function (r) { return r.json().then(function (j) { return { status: r.status, reply: j }; }); })
      .then(function (res) {
        saving = false;
        if (res.status === 200) {
          form.dataset.saved = res.reply.path;
          if (res.reply.changed) open(res.reply.page, res.reply.version);
          else window.location.href = "/" + res.reply.page;
        } else if (res.status === 422) showProblems(res.reply.problems);
        else if (res.status === 409) showConflict(res.reply);
        else say(res.reply.error || "保存失败，你填写的内容还在表单里。");
      })
      .catch(function () {
        saving = false;
        say("无法连接预览服务（casebook serve 是否还在运行？）；你填写的内容还在表单里。");
      });
  });
})();
