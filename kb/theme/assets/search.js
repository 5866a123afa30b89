/* kb full-text search (kbSearch): the header box, and the query engine over the static index that
 * kb/search/index.py writes to <site>/search/. Tokenizing rules mirror kb/search/tokens.py.
 * A query fetches meta.json, the few shards holding its bigrams, facet postings when filtering and
 * the documents it shows: nothing proportional to the corpus. No dependencies, works offline. */
(function () {
  "use strict";

  var script = document.currentScript;
  var ROOT = new URL("../", script ? script.src : location.href); // assets/ sits under the site root
  var BASE = new URL("search/", ROOT);
  var BATCH = 10;
  var FIRST = 6; // results shown before the rest of the first page: one wave of 6 parallel requests
  var MAX_KEYS_PER_TERM = 6; // enough to make false candidates rare; bounds shards per query
  var WORD = /[\p{L}\p{N}]/u;
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT_VALUE = {};
  for (var di = 0; di < DIGITS.length; di++) DIGIT_VALUE[DIGITS.charAt(di)] = di;

  /* ---------- text rules (same as tokens.py) ---------- */

  // Per-character NFKC + lower case; map[i] = offset in the original of normalized unit i.
  function normalize(text) {
    var out = "", map = [], offset = 0;
    for (var ch of text) {
      var n = ch.normalize("NFKC").toLowerCase();
      for (var k = 0; k < n.length; k++) map.push(offset);
      out += n;
      offset += ch.length;
    }
    map.push(offset);
    return { s: out, map: map };
  }

  function bigrams(normalized) {
    var keys = [], seen = {}, prev = null;
    for (var ch of normalized) {
      if (WORD.test(ch)) {
        if (prev !== null) {
          var key = prev + ch;
          if (!seen[key]) { seen[key] = 1; keys.push(key); }
        }
        prev = ch;
      } else {
        prev = null;
      }
    }
    return keys;
  }

  function shardOf(key, shards) {
    var h = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }

  // Whitespace separates terms; "…" “…” 「…」 keep a phrase whole.
  function parseQuery(query) {
    var q = normalize(query || "").s;
    var re = /["“”「」『』]([^"“”「」『』]*)["“”「」『』]?|([^\s"“”「」『』]+)/g, m, terms = [];
    while ((m = re.exec(q)) !== null) {
      var term = (m[1] !== undefined ? m[1] : m[2]).trim();
      if (term && terms.indexOf(term) < 0) terms.push(term);
    }
    return terms.map(function (t) {
      var keys = bigrams(t);
      if (keys.length > MAX_KEYS_PER_TERM) {
        var picked = [];
        for (var i = 0; i < MAX_KEYS_PER_TERM; i++) {
          var key = keys[Math.round(i * (keys.length - 1) / (MAX_KEYS_PER_TERM - 1))];
          if (picked.indexOf(key) < 0) picked.push(key);
        }
        keys = picked;
      }
      return { text: t, keys: keys };
    });
  }

  /* ---------- fetching (each file once) ---------- */

  var cache = {};
  function get(path, kind) {
    if (!cache[path]) {
      var url = new URL(path, BASE);
      if (path !== "meta.json" && metaVersion) url.searchParams.set("v", metaVersion);
      cache[path] = fetch(url.href, path === "meta.json" ? { cache: "no-cache" } : {}).then(function (r) {
        if (!r.ok) throw new Error("搜索索引文件加载失败 / cannot load " + url.href + " (" + r.status + ")");
        return kind === "text" ? r.text() : r.json();
      });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }
  var metaVersion = null;
  function meta() {
    return get("meta.json").then(function (m) { metaVersion = m.version; return m; });
  }
  function facets() { return meta().then(function () { return get("facets.json"); }); }
  function doc(n) { return get("d/" + n + ".json"); }

  /* ---------- postings as bitmaps ---------- */

  function decode(encoded, nbytes) {
    var bits = new Uint8Array(nbytes);
    if (!encoded) return bits;
    if (encoded.charAt(0) === "~") {
      var b64 = encoded.slice(1).replace(/-/g, "+").replace(/_/g, "/");
      while (b64.length % 4) b64 += "=";
      var bin = atob(b64);
      for (var i = 0; i < bin.length && i < nbytes; i++) bits[i] = bin.charCodeAt(i);
      return bits;
    }
    var value = 0, prev = -1;
    for (var j = 0; j < encoded.length; j++) {
      var d = DIGIT_VALUE[encoded.charAt(j)];
      if (d >= 32) { value = value * 32 + (d - 32); continue; }
      value = value * 32 + d;
      prev = prev + value + 1;
      bits[prev >> 3] |= 1 << (prev & 7);
      value = 0;
    }
    return bits;
  }
  function and(a, b) {
    if (a === null) return b;
    var out = new Uint8Array(a.length);
    for (var i = 0; i < a.length; i++) out[i] = a[i] & b[i];
    return out;
  }
  function has(bits, n) { return bits !== null && (bits[n >> 3] >> (n & 7)) & 1; }
  function members(bits, total) {
    var out = [];
    for (var i = 0; i < bits.length; i++) {
      if (!bits[i]) continue;
      for (var k = 0; k < 8; k++) if ((bits[i] >> k) & 1 && i * 8 + k < total) out.push(i * 8 + k);
    }
    return out;
  }

  function keyBits(m, keys, mark) {
    var nbytes = (m.docs + 7) >> 3;
    return Promise.all(keys.map(function (key) {
      return get("s/" + shardOf(key, m.shards) + ".json").then(function (shard) {
        return decode(shard[(mark || "") + key], nbytes);
      });
    })).then(function (list) { return list.reduce(and, null); });
  }

  function facetBits(m, filters) {
    var active = Object.keys(filters || {}).filter(function (k) { return filters[k]; });
    if (!active.length) return Promise.resolve(null);
    var nbytes = (m.docs + 7) >> 3;
    return Promise.all(active.map(function (key) {
      var path = "f/" + encodeURIComponent(key) + "/" + encodeURIComponent(filters[key]) + ".txt";
      return get(path, "text").then(function (p) { return decode(p, nbytes); });
    })).then(function (list) { return list.reduce(and, null); });
  }

  /* ---------- a search session: candidates from the index, verified lazily ---------- */

  function Session(query, filters) {
    this.terms = parseQuery(query);
    this.filters = filters || {};
    this.results = [];
    this.spare = [];
    this.pos = 0;
    this.order = null;
    this.total = 0; // candidates (an upper bound on results until all are verified)
    this.error = null;
  }

  Session.prototype.prepare = function () {
    var self = this;
    if (this.ready) return this.ready;
    this.ready = meta().then(function (m) {
      var indexed = self.terms.filter(function (t) { return t.keys.length; });
      var hasFilter = Object.keys(self.filters).some(function (k) { return self.filters[k]; });
      if (self.terms.length && !indexed.length) {
        self.error = "请输入至少两个连续的字或字母数字";
        self.order = [];
        return;
      }
      if (!self.terms.length && !hasFilter) { self.order = []; return; }
      var allKeys = [];
      indexed.forEach(function (t) { t.keys.forEach(function (k) { if (allKeys.indexOf(k) < 0) allKeys.push(k); }); });
      var phrase = self.terms.length > 1 ? self.terms.map(function (t) { return t.text; }).join("") : null;
      var extra = phrase ? bigrams(phrase).filter(function (k) { return allKeys.indexOf(k) < 0; }).slice(0, 4) : [];
      return Promise.all([
        allKeys.length ? keyBits(m, allKeys) : Promise.resolve(null),
        facetBits(m, self.filters),
        allKeys.length ? keyBits(m, allKeys, m.titleMark) : Promise.resolve(null),
        extra.length ? keyBits(m, extra) : Promise.resolve(null),
      ]).then(function (bits) {
        var cand = and(bits[0], bits[1] || bits[0]);
        if (cand === null) cand = bits[1];
        var list = members(cand, m.docs);
        var titles = bits[2], junction = bits[3];
        var tier = function (n) {
          return (phrase && (junction === null || has(junction, n)) ? 2 : 0) + (has(titles, n) ? 1 : 0);
        };
        if (self.terms.length) {
          list.sort(function (a, b) { return tier(b) - tier(a) || a - b; });
        }
        self.order = list;
        self.total = list.length;
        self.phrase = phrase;
      });
    });
    return this.ready;
  };

  // The next `want` results: candidates are verified against their text in index order, a batch at a
  // time (each batch sorted by score); verified results not yet shown wait in `spare`.
  Session.prototype.next = function (want) {
    var self = this;
    return this.prepare().then(function step() {
      if (self.spare.length >= want || self.pos >= self.order.length) {
        var taken = self.spare.splice(0, want);
        self.results = self.results.concat(taken);
        return taken;
      }
      var size = Math.min(Math.max(want - self.spare.length, FIRST), 200);
      var batch = self.order.slice(self.pos, self.pos + size);
      self.pos += batch.length;
      return Promise.all(batch.map(function (n) { return doc(n).then(function (d) { return self.match(n, d); }); }))
        .then(function (found) {
          found = found.filter(Boolean);
          found.sort(function (a, b) { return b.score - a.score; }); // stable: index order within equal scores
          self.spare = self.spare.concat(found);
          return step();
        });
    });
  };

  Session.prototype.exhausted = function () {
    return this.order !== null && this.pos >= this.order.length && !this.spare.length;
  };

  Session.prototype.match = function (n, d) {
    var heading = d.heading || "";
    var paras = d.paras || [];
    var text = heading + "\n", starts = [];
    paras.forEach(function (p, i) {
      if (i) text += "\n\n";
      starts.push(text.length);
      text += p[1];
    });
    var norm = normalize(text);
    var terms = this.terms.map(function (t) { return t.text; });
    var score = 0, hits = [];
    for (var i = 0; i < terms.length; i++) {
      var at = norm.s.indexOf(terms[i]);
      if (at < 0) return null;
      var count = 0, from = 0, pos;
      while ((pos = norm.s.indexOf(terms[i], from)) >= 0) { hits.push([pos, pos + terms[i].length]); count++; from = pos + terms[i].length; }
      score += Math.min(count, 50);
    }
    var headLen = normalize(heading).s.length;
    if (terms.length && terms.every(function (t) { return norm.s.slice(0, headLen).indexOf(t) >= 0; })) score += 100;
    var focus = null;
    if (this.phrase) {
      var p = norm.s.indexOf(this.phrase);
      if (p >= 0) { score += 1000; focus = [p, p + this.phrase.length]; }
    }
    if (!focus && terms.length) {
      // prefer a match in the body (the snippet shows text), else the heading match
      var body = hits.filter(function (h) { return h[0] > headLen; }).sort(function (a, b) { return a[0] - b[0]; });
      focus = body[0] || hits.sort(function (a, b) { return a[0] - b[0]; })[0];
    }
    var focusOrig = focus ? [norm.map[focus[0]], norm.map[focus[1]]] : null;
    var hitsOrig = hits.map(function (h) { return [norm.map[h[0]], norm.map[h[1]]]; });
    // the paragraph (and item) that holds the match
    var item = "", matchedTerm = focus ? norm.s.slice(focus[0], focus[1]) : "";
    if (focusOrig && focusOrig[0] > heading.length) {
      for (var k = starts.length - 1; k >= 0; k--) {
        if (focusOrig[0] >= starts[k]) { item = paras[k][0]; break; }
      }
    }
    var url = new URL(d.url, ROOT);
    if (matchedTerm) url.searchParams.set("hl", matchedTerm);
    if (item) url.hash = item;
    return {
      doc: n, id: d.id, url: d.url, href: url.href, score: score,
      report: d.report, unit: d.unit, part: d.part, theme: d.theme,
      heading: heading || d.theme || d.title,
      headingHtml: heading ? headingWindow(heading, hitsOrig.filter(function (h) { return h[1] <= heading.length; }))
        : escapeHtml(d.theme || d.title),
      snippetHtml: snippet(text, heading.length + 1, focusOrig, hitsOrig),
      item: item || null,
    };
  };

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }
  // text[from:to] with the ranges inside it wrapped in <mark>
  function marked(text, ranges, from, to) {
    var out = "", at = from;
    ranges.slice().sort(function (a, b) { return a[0] - b[0]; }).forEach(function (r) {
      var s = Math.max(r[0], at), e = Math.min(r[1], to);
      if (e <= s) return;
      out += escapeHtml(text.slice(at, s)) + "<mark>" + escapeHtml(text.slice(s, e)) + "</mark>";
      at = e;
    });
    return out + escapeHtml(text.slice(at, to));
  }
  // Long headings (a theme as written) are cut around their first match so the mark stays visible.
  function headingWindow(heading, hits) {
    var first = hits.length ? Math.min.apply(null, hits.map(function (h) { return h[0]; })) : 0;
    var start = first > 30 ? first - 16 : 0;
    return (start ? "…" : "") + marked(heading, hits, start, heading.length);
  }
  function snippet(text, bodyStart, focus, hits) {
    var start = bodyStart, end;
    if (focus && focus[0] >= bodyStart) start = Math.max(bodyStart, focus[0] - 36);
    end = Math.min(text.length, start + 120);
    var html = marked(text, hits, start, end).replace(/\n+/g, " ");
    return (start > bodyStart ? "…" : "") + html + (end < text.length ? "…" : "");
  }

  function search(query, filters, options) {
    var limit = options && options.limit !== undefined ? options.limit : BATCH;
    var session = new Session(query, filters);
    return session.next(limit === Infinity ? 1e9 : limit).then(function () {
      return { results: session.results, candidates: session.total, error: session.error, done: session.exhausted() };
    });
  }

  window.kbSearch = {
    search: search, Session: Session, normalize: function (s) { return normalize(s).s; },
    bigrams: function (s) { return bigrams(normalize(s).s); }, shardOf: shardOf, parseQuery: parseQuery,
  };

  /* ---------- landing on a result: highlight the matched words ---------- */

  function highlightLanding() {
    var hl = new URLSearchParams(location.search).get("hl");
    var article = document.querySelector("article.md-content__inner");
    if (!hl || !article) return;
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest(".kb-docmeta, .kb-related, .kb-item-types, .md-content__button, mark")
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      },
    });
    var nodes = [], node;
    while ((node = walker.nextNode())) nodes.push(node);
    var marks = [];
    nodes.forEach(function (textNode) {
      var norm = normalize(textNode.data), from = 0, pos, cuts = [];
      while ((pos = norm.s.indexOf(hl, from)) >= 0) { cuts.push([norm.map[pos], norm.map[pos + hl.length]]); from = pos + hl.length; }
      for (var i = cuts.length - 1; i >= 0; i--) {
        var after = textNode.splitText(cuts[i][0]);
        after.splitText(cuts[i][1] - cuts[i][0]);
        var mark = document.createElement("mark");
        mark.className = "kb-search-hl";
        after.parentNode.replaceChild(mark, after);
        mark.appendChild(after);
        marks.unshift(mark);
      }
    });
    if (!marks.length) return;
    var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    var first = (target && marks.filter(function (m) { return target.contains(m); })[0]) || marks[0];
    first.classList.add("kb-search-hl--current");
    first.scrollIntoView({ block: "center" });
  }

  /* ---------- the header box ---------- */

  function setupBox() {
    var input = document.getElementById("kb-search-input");
    var toggle = document.getElementById("__search");
    if (!input || !toggle) return;
    var box = input.closest(".kb-search");
    var list = box.querySelector(".kb-search-list");
    var info = box.querySelector(".kb-search-meta");
    var moreButton = box.querySelector(".kb-search-more");
    var panel = box.querySelector(".kb-search-filters");
    var filterButton = box.querySelector(".kb-search-filter-toggle");
    var filters = {};
    var session = null, active = -1, timer = null, generation = 0;
    var hint = info.textContent;

    function open() {
      toggle.checked = true;
      if (document.activeElement !== input) { input.focus(); input.select(); }
    }
    function close() {
      toggle.checked = false;
      input.blur();
    }
    function links() { return Array.prototype.slice.call(list.querySelectorAll(".kb-search-link")); }
    function select(i) {
      var all = links();
      if (!all.length) { active = -1; return; }
      active = (i + all.length) % all.length;
      all.forEach(function (a, k) {
        a.parentNode.classList.toggle("kb-search-item--active", k === active);
        a.parentNode.setAttribute("aria-selected", k === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].parentNode.id);
      all[active].parentNode.scrollIntoView({ block: "nearest" });
    }
    function render(results, append) {
      if (!append) { list.innerHTML = ""; active = -1; }
      results.forEach(function (r) {
        var li = document.createElement("li");
        li.className = "md-search-result__item kb-search-item";
        li.id = "kb-search-r" + r.doc;
        li.setAttribute("role", "option");
        var source = [r.report, r.unit, r.part + (r.theme && r.heading !== r.theme ? "·" + r.theme : "")];
        li.innerHTML =
          '<a class="md-search-result__link kb-search-link" tabindex="-1" href="' + escapeHtml(r.href) + '">' +
          '<article class="md-search-result__article md-typeset">' +
          '<div class="kb-search-heading">' + r.headingHtml + "</div>" +
          '<div class="kb-search-source"><span class="kb-search-report">' + escapeHtml(source[0]) +
          '</span> · <span class="kb-search-unit">' + escapeHtml(source[1]) + "</span> · " + escapeHtml(source[2]) + "</div>" +
          '<p class="kb-search-snippet">' + r.snippetHtml + "</p></article></a>";
        list.appendChild(li);
      });
    }
    function status(s) {
      if (s.error) return s.error;
      var n = s.results.length;
      if (!n) return "没有找到匹配的章节";
      return s.exhausted() ? "共 " + n + " 条结果" : "已显示 " + n + " 条结果，还有更多";
    }
    function run() {
      var mine = ++generation;
      var query = input.value;
      var hasFilter = Object.keys(filters).some(function (k) { return filters[k]; });
      moreButton.hidden = true;
      if (!query.trim() && !hasFilter) {
        session = null; list.innerHTML = ""; info.textContent = hint; box.dataset.state = "done"; return;
      }
      info.textContent = "正在搜索…";
      box.dataset.state = "busy"; // for tests and assistive tools: "done" once a page of results is complete
      session = new Session(query, filters);
      var s = session;
      // show the first few as soon as they are verified, then complete the page
      s.next(FIRST).then(function (results) {
        if (mine !== generation) return;
        render(results, false);
        if (results.length < FIRST) return;
        info.textContent = "正在加载，已显示 " + results.length + " 条结果…";
        return s.next(BATCH - FIRST).then(function (rest) {
          if (mine !== generation) return;
          render(rest, true);
        });
      }).then(function () {
        if (mine !== generation) return;
        info.textContent = status(s);
        moreButton.hidden = s.exhausted();
        box.dataset.state = "done";
      }).catch(function (e) {
        if (mine !== generation) return;
        box.dataset.state = "done";
        info.textContent = "搜索出错：" + e.message;
        console.error(e);
      });
    }
    function loadMore() {
      var s = session, mine = generation;
      if (!s) return;
      box.dataset.state = "busy";
      s.next(BATCH).then(function (added) {
        if (mine !== generation) return;
        render(added, true);
        info.textContent = status(s);
        moreButton.hidden = s.exhausted();
        box.dataset.state = "done";
      });
    }

    var unitSelect = null;
    function fillOptions(select, options) {
      select.innerHTML = '<option value="">全部</option>' + options.map(function (o) {
        return '<option value="' + escapeHtml(o.v) + '">' + escapeHtml(o.name) + "（" + o.n + "）</option>";
      }).join("");
    }
    function loadUnits(kind) {
      filters.unit = "";
      unitSelect.disabled = true;
      if (!kind) { unitSelect.innerHTML = '<option value="">请先选择单位类别</option>'; return; }
      unitSelect.innerHTML = '<option value="">正在加载…</option>';
      meta().then(function () { return get("f/unit-by-kind/" + encodeURIComponent(kind) + ".json"); })
        .catch(function () { return []; })
        .then(function (options) {
          if (filters.kind !== kind) return;
          fillOptions(unitSelect, options);
          unitSelect.disabled = false;
        });
    }
    function buildFilters() {
      if (panel.dataset.loaded) return Promise.resolve();
      panel.dataset.loaded = "1";
      panel.textContent = "正在加载筛选项…";
      return facets().then(function (f) {
        panel.textContent = "";
        f.facets.forEach(function (facet) {
          if (!facet.options.length && !facet.byKind) return;
          var label = document.createElement("label");
          label.className = "kb-search-facet";
          var select = document.createElement("select");
          select.name = facet.key;
          select.setAttribute("data-facet", facet.key);
          fillOptions(select, facet.options);
          if (facet.byKind) {
            // units grow with the corpus: their list is loaded for one unit kind at a time
            select.disabled = true;
            select.innerHTML = '<option value="">请先选择单位类别</option>';
            unitSelect = select;
          }
          select.addEventListener("change", function () {
            filters[facet.key] = select.value;
            if (facet.key === "kind" && unitSelect) loadUnits(select.value);
            filterButton.classList.toggle("kb-search-filter-toggle--on", Object.keys(filters).some(function (k) { return filters[k]; }));
            run();
          });
          label.appendChild(document.createTextNode(facet.name));
          label.appendChild(select);
          panel.appendChild(label);
        });
        var clear = document.createElement("button");
        clear.type = "button";
        clear.className = "kb-search-clear";
        clear.textContent = "清除筛选";
        clear.addEventListener("click", function () {
          filters = {};
          panel.querySelectorAll("select").forEach(function (s) { s.value = ""; });
          if (unitSelect) loadUnits("");
          filterButton.classList.remove("kb-search-filter-toggle--on");
          run();
        });
        panel.appendChild(clear);
      }).catch(function (e) { panel.textContent = "筛选项加载失败：" + e.message; delete panel.dataset.loaded; });
    }

    input.addEventListener("focus", function () { toggle.checked = true; meta().catch(function () {}); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        select(active + (e.key === "ArrowDown" ? 1 : -1) + (active < 0 && e.key === "ArrowUp" ? 1 : 0));
      } else if (e.key === "Enter") {
        e.preventDefault();
        clearTimeout(timer);
        var all = links();
        if (all.length) location.href = all[active >= 0 ? active : 0].href;
        else run();
      } else if (e.key === "Escape") {
        e.preventDefault();
        close();
      }
    });
    box.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && e.target !== input) { e.preventDefault(); close(); }
    });
    box.querySelector(".kb-search-reset").addEventListener("click", function () {
      input.value = "";
      run();
      input.focus();
    });
    filterButton.addEventListener("click", function () {
      var show = panel.hidden;
      panel.hidden = !show;
      filterButton.setAttribute("aria-expanded", show ? "true" : "false");
      toggle.checked = true;
      if (show) buildFilters();
    });
    moreButton.addEventListener("click", loadMore);
    toggle.addEventListener("change", function () {
      if (toggle.checked) input.focus();
    });
    document.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (e.key !== "/" && e.key !== "s" && e.key !== "S") return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      open();
    });
  }

  function init() {
    setupBox();
    highlightLanding();
    // meta.json is tiny; having it before the first keystroke saves the first query a round trip
    var warm = function () { meta().catch(function () {}); };
    if (window.requestIdleCallback) requestIdleCallback(warm, { timeout: 2000 });
    else setTimeout(warm, 300);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
