/* kb compare view (对比阅读, compare/?r=ID&r=ID) and the report pickers of other pages.
 *
 * The compare page (kb/pages/compare.py) is a frame: the report ids come from its address, each
 * report's data is fetched from compare/data/r/<id>.json (kb/compare_data.py) and the reports are laid
 * side by side, one row per aligned section. Everything in the data is contributor text: it is
 * only ever set as textContent, never as HTML. No dependencies, works offline. */
(function () {
  "use strict";

  var ID = /^[a-z0-9][a-z0-9-]{0,99}$/; // report ids as kb check allows them
  var SITE_PATH = /^[a-z0-9][a-z0-9\/-]*\/$/; // URLs in the data: site-relative folders we wrote

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function query(ids) {
    return ids.length ? "?" + ids.map(function (id) { return "r=" + encodeURIComponent(id); }).join("&") : "";
  }

  /* ---------- pickers on report, unit and theme pages ---------- */

  function setupPicker(bar) {
    var link = bar.querySelector("a");
    var note = bar.querySelector(".kb-compare-bar-note");
    var base = bar.getAttribute("data-compare");
    function update() {
      var ids = [];
      document.querySelectorAll(".kb-compare-pick input:checked").forEach(function (box) {
        if (ID.test(box.value) && ids.indexOf(box.value) < 0) ids.push(box.value);
      });
      bar.hidden = ids.length === 0;
      link.setAttribute("href", base + query(ids));
      note.textContent = "已选 " + ids.length + " 份" + (ids.length < 2 ? "，可在对比页再添加" : "");
    }
    document.addEventListener("change", function (event) {
      if (event.target.closest && event.target.closest(".kb-compare-pick")) update();
    });
    update(); // the browser may restore check boxes on going back
  }

  /* ---------- alignment ----------
   * Each section gets a row: the first aligner that knows the section names the row (key), heads
   * it (label, wording) and places it (order). Sections of different reports with the same key
   * sit side by side. Reports of one meeting align by theme; reports of different meetings (other
   * years, other theme sets) by the first aspect each section examines (data/aspects.yml). To align
   * by another shared key, add its field to kb/compare_data.py and an aligner to alignersFor. */

  function byAspect(section) {
    if (!section.aspects || !section.aspects.length) return null;
    var a = section.aspects[0];
    return { key: "aspect:" + a.id, label: "检视方面：" + a.name, wording: null, order: [section.part.rank, 0, "", a.rank] };
  }

  function byTheme(section) {
    if (!section.theme) return null;
    var t = section.theme;
    return { key: "theme:" + t.id, label: t.label, wording: t.wording, order: [section.part.rank, 0, t.meeting, t.number] };
  }

  function byPlaceInPart(section, place) {
    var part = section.part;
    if (place === 0) return { key: "part:" + part.id + ":0", label: part.name + (part.id === "preface" ? "" : " · 引言"),
                              wording: null, order: [part.rank, 1, "", 0] };
    return { key: "part:" + part.id + ":" + place, label: part.name + " · 第 " + place + " 节", wording: null,
             order: [part.rank, 1, "", place] };
  }

  function alignersFor(reports) {
    var meetings = {};
    reports.forEach(function (report) { meetings[report.meeting] = true; });
    return Object.keys(meetings).length > 1 ? [byAspect, byTheme, byPlaceInPart] : [byTheme, byPlaceInPart];
  }

  function align(aligners, section, place) {
    for (var i = 0; i < aligners.length; i++) {
      var row = aligners[i](section, place);
      if (row) return row;
    }
    return null;
  }

  function compareOrder(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] < b[i]) return -1;
      if (a[i] > b[i]) return 1;
    }
    return 0;
  }

  /* Rows of the comparison, in order: {key, label, wording, order, part, cells: {reportId: [sections]}} */
  function rowsOf(reports) {
    var rows = {}, list = [], aligners = alignersFor(reports);
    reports.forEach(function (report) {
      var places = {};
      report.sections.forEach(function (section) {
        var place = 0;
        if (section.heading) { places[section.part.id] = (places[section.part.id] || 0) + 1; place = places[section.part.id]; }
        var row = align(aligners, section, place);
        if (!rows[row.key]) {
          rows[row.key] = { key: row.key, label: row.label, wording: row.wording, order: row.order, part: section.part, cells: {} };
          list.push(rows[row.key]);
        }
        (rows[row.key].cells[report.id] = rows[row.key].cells[report.id] || []).push(section);
      });
    });
    return list.sort(function (a, b) { return compareOrder(a.order, b.order); });
  }

  /* ---------- the compare view ---------- */

  function setupCompare(root) {
    var max = parseInt(root.getAttribute("data-max"), 10) || 6;
    var status = root.querySelector(".kb-compare-status");
    var body = root.querySelector(".kb-compare-body");
    var select = root.querySelector(".kb-compare-add select");
    var addButton = root.querySelector(".kb-compare-add-button");
    var cache = {};
    var ids = [], notes = [];

    new URLSearchParams(location.search).getAll("r").forEach(function (id) {
      if (!ID.test(id)) notes.push("“" + id + "”不是报告编号，已忽略");
      else if (ids.indexOf(id) < 0) {
        if (ids.length < max) ids.push(id);
        else notes.push("最多并排 " + max + " 份报告，其余已略去");
      }
    });

    function load(id) {
      if (!cache[id]) {
        cache[id] = fetch("data/r/" + id + ".json").then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        }).catch(function () { return null; });
      }
      return cache[id];
    }

    function link(url, text) {
      var a = el("a", null, text);
      if (SITE_PATH.test(url)) a.setAttribute("href", "../" + url);
      return a;
    }

    function header(reports) {
      var head = el("div", "kb-compare-head");
      head.style.setProperty("--kb-compare-columns", reports.length);
      reports.forEach(function (report) {
        var card = el("div", "kb-compare-report");
        card.setAttribute("data-report", report.id);
        var title = el("p", "kb-compare-report-title");
        title.appendChild(link(report.url, report.title));
        card.appendChild(title);
        card.appendChild(el("p", "kb-compare-report-facts", report.unit.name + " · " + report.meeting + " · " + report.when));
        var remove = el("button", "kb-compare-remove", "移除");
        remove.type = "button";
        remove.setAttribute("aria-label", "从对比中移除 " + report.unit.name);
        remove.addEventListener("click", function () { setIds(ids.filter(function (id) { return id !== report.id; })); });
        card.appendChild(remove);
        head.appendChild(card);
      });
      return head;
    }

    function cell(report, sections) {
      var box = el("article", "kb-compare-cell");
      box.setAttribute("data-report", report.id);
      box.appendChild(el("p", "kb-compare-who", report.unit.short + " · " + report.when));
      if (!sections) {
        box.appendChild(el("p", "kb-compare-missing", "本报告没有对应的章节"));
        return box;
      }
      sections.forEach(function (section) {
        var heading = el("p", section.heading ? "kb-compare-heading" : "kb-compare-heading kb-compare-heading--none");
        heading.appendChild(link(section.url, section.heading || "查看本节"));
        box.appendChild(heading);
        section.paragraphs.forEach(function (paragraph) {
          var p = el("p", paragraph.item ? "kb-compare-para kb-compare-item" : "kb-compare-para", paragraph.text);
          if (paragraph.item) p.setAttribute("data-item", paragraph.item);
          box.appendChild(p);
        });
      });
      return box;
    }

    function render(reports) {
      body.textContent = "";
      if (!reports.length) return;
      body.appendChild(header(reports));
      var part = null, group = null;
      rowsOf(reports).forEach(function (row) {
        if (row.part.id !== part) {
          part = row.part.id;
          group = el("section", "kb-compare-part");
          group.setAttribute("data-part", part);
          group.appendChild(el("h2", null, row.part.name));
          body.appendChild(group);
        }
        var block = el("div", "kb-compare-row");
        block.setAttribute("data-key", row.key);
        if (row.label !== row.part.name) block.appendChild(el("h3", "kb-compare-row-title", row.label));
        if (row.wording) block.appendChild(el("p", "kb-compare-wording", row.wording));
        var cells = el("div", "kb-compare-cells");
        cells.style.setProperty("--kb-compare-columns", reports.length);
        reports.forEach(function (report) { cells.appendChild(cell(report, row.cells[report.id])); });
        block.appendChild(cells);
        group.appendChild(block);
      });
    }

    function show() {
      status.textContent = ids.length ? "正在加载…" : "";
      return Promise.all(ids.map(load)).then(function (loaded) {
        var reports = [], messages = notes.slice();
        loaded.forEach(function (report, i) {
          if (report && report.id === ids[i]) reports.push(report);
          else messages.push("找不到报告“" + ids[i] + "”");
        });
        if (reports.length < 2) messages.push(reports.length ? "再添加一份报告即可并排对比。" : "请添加要对比的报告（至少两份）。");
        else messages.push("正在并排对比 " + reports.length + " 份报告：" + (alignersFor(reports)[0] === byAspect
          ? "报告来自不同会议，同一部分中检视同一方面的章节排在同一行。" : "同一部分、同一主题的章节排在同一行。"));
        status.textContent = messages.join("；");
        render(reports);
        document.title = reports.length ? "对比阅读：" + reports.map(function (r) { return r.unit.short; }).join("、")
                                        : "对比阅读";
        if (reports.length < 2) loadList();
      });
    }

    function setIds(next) {
      ids = next.slice(0, max);
      notes = [];
      history.replaceState(null, "", location.pathname + query(ids)); // the address stays shareable
      show();
    }

    var listLoaded = null;
    function loadList() { // the list of every report is fetched only when the reader goes to add one
      if (listLoaded) return listLoaded;
      listLoaded = fetch("data/reports.json").then(function (response) { return response.json(); }).then(function (list) {
        select.textContent = "";
        select.appendChild(el("option", null, "选择一份报告…")).value = "";
        list.forEach(function (entry) {
          if (!ID.test(entry.id)) return;
          var option = el("option", null, entry.unit + " · " + (entry.year || "") + " · " + entry.title);
          option.value = entry.id;
          select.appendChild(option);
        });
      }).catch(function () {
        select.textContent = "";
        select.appendChild(el("option", null, "报告列表加载失败")).value = "";
      });
      return listLoaded;
    }

    select.addEventListener("focus", loadList);
    select.addEventListener("pointerdown", loadList);
    addButton.addEventListener("click", function () {
      var id = select.value;
      if (ID.test(id) && ids.indexOf(id) < 0) setIds(ids.concat([id]));
    });
    show();
  }

  function start() {
    var root = document.querySelector("[data-kb-compare]");
    if (root) setupCompare(root);
    var bar = document.querySelector(".kb-compare-bar");
    if (bar) setupPicker(bar);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
