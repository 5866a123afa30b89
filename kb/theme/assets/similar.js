/* kb 查重 in the browser (kbSimilar): the draft check page (kb/pages/similarity.py). A pasted draft
 * is fingerprinted here with the rules of kb/similarity/fingerprint.py and passages.py (same
 * normalisation, k-gram hashes, winnowing, chaining; the parameters come from the index's
 * meta.json), checked against the static index kb/similarity/site_index.py writes to
 * <site>/fingerprints/, and compared with the few reports sharing most of its fingerprints.
 * Only files of this site are fetched; the draft is sent nowhere. Contributor text is only ever
 * inserted as text (textContent), never as HTML. No dependencies, works offline. */
(function () {
  "use strict";

  var script = document.currentScript;
  var ROOT = new URL("../", script ? script.src : location.href); // assets/ sits under the site root
  var BASE = new URL("fingerprints/", ROOT);
  var WORD = /[\p{L}\p{N}]/u;
  var POS_LIMIT = 1 << 24;

  /* ---------- fingerprints (same as fingerprint.py) ---------- */

  var CRC_TABLE = (function () {
    var table = new Int32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
    return table;
  })();

  // CRC-32 of the UTF-32LE bytes of code points cps[start .. start + k)
  function kgramHash(cps, start, k) {
    var crc = -1;
    for (var i = start; i < start + k; i++) {
      var cp = cps[i];
      for (var b = 0; b < 4; b++) {
        crc = CRC_TABLE[(crc ^ (cp >>> (8 * b))) & 0xff] ^ (crc >>> 8);
      }
    }
    return (crc ^ -1) >>> 0;
  }

  // Letters and digits of text, each character folded (NFKC, lower case) as search does;
  // map[i] is the UTF-16 offset in text of the character normalised code point i came from.
  function normalize(text) {
    var cps = [], map = [], offset = 0;
    for (var ch of text) {
      for (var f of ch.normalize("NFKC").toLowerCase()) {
        if (WORD.test(f)) { cps.push(f.codePointAt(0)); map.push(offset); }
      }
      offset += ch.length;
    }
    return { cps: cps, map: map, text: text };
  }

  function fingerprint(text, meta, template) {
    var norm = normalize(text), cps = norm.cps, K = meta.k, W = meta.w;
    var keys = [], spans = [];
    for (var pos = 0; pos + K <= cps.length; pos++) {
      var h = kgramHash(cps, pos, K);
      if (template.has(h)) {
        if (spans.length && spans[spans.length - 1][1] >= pos) spans[spans.length - 1][1] = pos + K;
        else spans.push([pos, pos + K]);
      } else {
        keys.push([h, pos]);
      }
    }
    // winnowing: the smallest hash of every W consecutive k-grams, the rightmost on ties
    function smaller(x, y) { return x[0] < y[0] || (x[0] === y[0] && x[1] > y[1]); }
    var chosen = new Map();
    var windows = keys.length <= W ? (keys.length ? 1 : 0) : keys.length - W + 1;
    for (var i = 0; i < windows; i++) {
      var best = keys[i];
      for (var j = i + 1; j < Math.min(i + W, keys.length); j++) if (smaller(keys[j], best)) best = keys[j];
      chosen.set(best[1], best[0]);
    }
    var prints = Array.from(chosen.keys()).sort(function (a, b) { return a - b; })
      .map(function (p) { return [chosen.get(p), p]; });
    var byHash = new Map();
    prints.forEach(function (p) { byHash.set(p[0], p[1]); }); // the last position of a repeated hash
    return { norm: norm, prints: prints, template: spans, byHash: byHash };
  }

  /* ---------- passages (same as passages.py) ---------- */

  function templateChars(spans, start, end) {
    var total = 0;
    spans.forEach(function (s) { total += Math.max(0, Math.min(s[1], end) - Math.max(s[0], start)); });
    return total;
  }

  function templateBefore(spans, pos) {
    var stop = 0;
    spans.forEach(function (s) { if (s[0] < pos) stop = Math.min(s[1], pos); });
    return stop;
  }

  function templateAfter(spans, pos) {
    for (var i = 0; i < spans.length; i++) {
      if (spans[i][0] < pos && spans[i][1] > pos) return pos;
      if (spans[i][0] >= pos) return spans[i][0];
    }
    return null;
  }

  function agreeForward(a, b, i, j, stop) {
    var limit = Math.min(a.length - i, b.length - j, stop === null ? a.length : stop - i), n = 0;
    while (n < limit && a[i + n] === b[j + n]) n++;
    return n;
  }

  function agreeBackward(a, b, i, j, stop) {
    var limit = Math.min(i - stop, j), n = 0;
    while (n < limit && a[i - n - 1] === b[j - n - 1]) n++;
    return n;
  }

  function chains(matches, meta) {
    var out = [];
    matches.forEach(function (m) {
      for (var c = out.length - 1; c >= Math.max(0, out.length - 4); c--) {
        var last = out[c][out[c].length - 1], da = m[0] - last[0], db = m[1] - last[1];
        if (da > 0 && da <= meta.maxGap && db > 0 && Math.abs(db - da) <= meta.maxSkew) {
          out[c].push(m);
          return;
        }
      }
      out.push([m]);
    });
    return out;
  }

  function passages(a, b, matches, meta) {
    var K = meta.k, A = a.norm.cps, B = b.norm.cps, found = [];
    matches.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1]; });
    chains(matches, meta).forEach(function (chain) {
      var aStart = chain[0][0], bStart = chain[0][1];
      var aEnd = chain[chain.length - 1][0] + K, bEnd = chain[chain.length - 1][1] + K;
      var grow = agreeBackward(A, B, aStart, bStart, templateBefore(a.template, aStart));
      aStart -= grow; bStart -= grow;
      grow = agreeForward(A, B, aEnd, bEnd, templateAfter(a.template, aEnd));
      aEnd += grow; bEnd += grow;
      if (found.length && aStart <= found[found.length - 1].aEnd + meta.maxSkew) {
        var prev = found[found.length - 1];
        if (bStart <= prev.bEnd + meta.maxGap && prev.bStart <= bEnd + meta.maxGap) {
          found.pop();
          aStart = prev.aStart; bStart = Math.min(prev.bStart, bStart);
          aEnd = Math.max(prev.aEnd, aEnd); bEnd = Math.max(prev.bEnd, bEnd);
        } else if (aStart >= prev.aEnd) {
          // follows it in a, from elsewhere in b: a passage of its own
        } else if (aEnd - aStart <= prev.aEnd - prev.aStart) {
          return;
        } else {
          found.pop();
        }
      }
      found.push({ aStart: aStart, aEnd: aEnd, bStart: bStart, bEnd: bEnd,
                   chars: aEnd - aStart - templateChars(a.template, aStart, aEnd) });
    });
    return found.filter(function (p) { return p.chars >= meta.minPassage; });
  }

  function union(spans, template) {
    var total = 0, end = -1;
    spans.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1]; }).forEach(function (s) {
      var start = Math.max(s[0], end);
      if (s[1] > start) { total += s[1] - start - templateChars(template, start, s[1]); end = s[1]; }
    });
    return total;
  }

  function originalSpan(fp, start, end) {
    var map = fp.norm.map, text = fp.norm.text;
    var last = map[end - 1], cp = text.codePointAt(last);
    return text.slice(map[start], last + (cp > 0xffff ? 2 : 1));
  }

  /* ---------- the index ---------- */

  // Each file once; the index's files carry its version (?v=, from meta.json, fetched unconditionally),
  // so a browser never mixes a cached shard or report of an older build with a newer meta.json.
  var cache = {}, version = null;
  function load(path) {
    if (!cache[path]) {
      var url = new URL(path, BASE);
      if (path !== "meta.json" && version) url.searchParams.set("v", version);
      cache[path] = fetch(url.href, path === "meta.json" ? { cache: "no-cache" } : {}).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return r.json();
      });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }
  function loadMeta() {
    return load("meta.json").then(function (m) { version = m.version; return m; });
  }

  /* A shard as kb/similarity/site_index.py packs it: fingerprint -> [report numbers]. */
  function unpack(shard) {
    var holders = new Map();
    if (!shard.h) return holders;
    var deltas = shard.h.split(","), lists = shard.r.split(","), h = 0;
    for (var i = 0; i < deltas.length; i++) {
      h += parseInt(deltas[i], 36);
      holders.set(h, lists[i].split(".").map(function (r) { return parseInt(r, 36); }));
    }
    return holders;
  }

  function check(text) {
    return loadMeta().then(function (meta) {
      var template = new Set(meta.template.map(function (h) { return parseInt(h, 36); }));
      var draft = fingerprint(text, meta, template);
      var shift = 32 - meta.shardBits;
      var shards = new Set(draft.prints.map(function (p) { return meta.shardBits ? p[0] >>> shift : 0; }));
      return Promise.all(Array.from(shards).map(function (k) {
        return load("s/" + k + ".json").then(function (shard) { return [k, unpack(shard)]; });
      })).then(function (loaded) {
        // the draft's fingerprints the index holds (common ones are left out of it, as in the build)
        var byShard = new Map(loaded), indexed = new Set(), counts = new Map();
        draft.byHash.forEach(function (pos, h) {
          var holders = byShard.get(meta.shardBits ? h >>> shift : 0).get(h);
          if (!holders) return;
          indexed.add(h);
          holders.forEach(function (r) { counts.set(r, (counts.get(r) || 0) + 1); });
        });
        var candidates = Array.from(counts.entries())
          .filter(function (e) { return e[1] >= meta.minSharedPrints; })
          .sort(function (x, y) { return y[1] - x[1] || x[0] - y[0]; })
          .slice(0, meta.maxCandidates).map(function (e) { return e[0]; });
        return Promise.all(candidates.map(function (r) { return load("d/" + r + ".json"); }))
          .then(function (docs) { return compareAll(draft, docs, indexed, meta, template); });
      });
    });
  }

  function compareAll(draft, docs, indexed, meta, template) {
    // a share is a fraction of the draft's characters outside template text, as in the build
    var total = draft.norm.cps.length - templateChars(draft.template, 0, draft.norm.cps.length), results = [];
    docs.forEach(function (doc) {
      var covered = [], found = [];
      doc.sections.forEach(function (section) {
        var other = fingerprint(section.text, meta, template), pairs = [];
        other.byHash.forEach(function (pos, h) {
          if (indexed.has(h) && draft.byHash.has(h)) pairs.push([draft.byHash.get(h), pos]);
        });
        if (!pairs.length) return;
        passages(draft, other, pairs, meta).forEach(function (p) {
          covered.push([p.aStart, p.aEnd]);
          found.push({ aStart: p.aStart, text: originalSpan(draft, p.aStart, p.aEnd),
                       otherText: originalSpan(other, p.bStart, p.bEnd), section: section });
        });
      });
      if (!found.length) return;
      found.sort(function (x, y) { return x.aStart - y.aStart; });
      var shared = union(covered, draft.template);
      results.push({ doc: doc, sharedChars: shared, share: total ? Math.min(1, shared / total) : 0, passages: found });
    });
    results.sort(function (x, y) { return y.sharedChars - x.sharedChars || (x.doc.id < y.doc.id ? -1 : 1); });
    return { draftChars: total, reports: results };
  }

  /* ---------- the page ---------- */

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function link(url, text) {
    var a = el("a", text);
    a.href = new URL(url, ROOT).href;
    return a;
  }

  function show(out, result) {
    out.textContent = "";
    if (!result.reports.length) {
      out.appendChild(el("p", "未在本库收录的报告中发现相同或近似的段落。"));
      return;
    }
    result.reports.forEach(function (r) {
      var head = el("p", "", "kb-check-report");
      head.appendChild(link(r.doc.url, r.doc.title));
      head.appendChild(document.createTextNode("（" + r.doc.unit + "）：相同 " + r.sharedChars + " 字，占草稿 "
        + (r.share * 100).toFixed(1) + "%"));
      out.appendChild(head);
      var list = el("ol");
      r.passages.forEach(function (p) {
        var item = el("li", "", "kb-check-passage");
        item.appendChild(el("q", p.text, "kb-check-draft-text"));
        item.appendChild(document.createTextNode(" 见于 "));
        item.appendChild(link(r.doc.url + "#s-" + p.section.id, p.section.title || p.section.id));
        item.appendChild(document.createTextNode("："));
        item.appendChild(el("q", p.otherText, "kb-check-other-text"));
        list.appendChild(item);
      });
      out.appendChild(list);
    });
  }

  function init() {
    var button = document.getElementById("kb-check-run");
    if (!button || button.dataset.kbReady) return;
    button.dataset.kbReady = "1";
    var draft = document.getElementById("kb-check-draft");
    var status = document.getElementById("kb-check-status");
    var out = document.getElementById("kb-check-results");
    button.addEventListener("click", function () {
      var text = draft.value;
      if (!text.trim()) { status.textContent = "请先粘贴草稿。"; return; }
      status.textContent = "比对中……";
      var started = performance.now();
      check(text).then(function (result) {
        show(out, result);
        status.textContent = "完成：找到 " + result.reports.length + " 份报告（用时 "
          + Math.round(performance.now() - started) + " 毫秒）";
        out.dataset.done = String(result.reports.length);
      }, function (error) {
        status.textContent = "查重失败：" + error.message;
      });
    });
  }

  window.kbSimilar = { normalize: normalize, fingerprint: fingerprint, check: check, load: load };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init); // Material instant navigation
})();
