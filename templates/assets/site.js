/* segurdoc: client-side search and REM filters. The site works without
   this script; it only adds these two conveniences. */
(function () {
  "use strict";

  /* As segurdoc folds (text::fold_key): no mark, lower case. */
  function fold(s) {
    return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }

  /* ---- Old links ---------------------------------------------------- */
  /* Requirements and proofs live on their chapter's page; a link to the
     guide's `#ID` lands on the guide's index of numbers, which names the
     page: go there. Without this script the index entry is a plain link. */
  function follow() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var target = id && document.getElementById(id);
    var entry = target && target.closest && target.closest("ul.idx li");
    var link = entry && entry.querySelector("a[href]");
    if (link) location.replace(link.getAttribute("href").split("#")[0] + "#" + encodeURIComponent(id));
  }
  follow();
  window.addEventListener("hashchange", follow);

  /* ---- Search -------------------------------------------------------- */
  /* The index is split (src/site/search.rs): search/manifest.js, then one
     word file per word typed (search/t/<2 letters>.js), then the chunks of
     the results shown (search/d/<n>.js). Each file is a script calling
     segurdocSearch(), which also works on pages opened from disk. */
  var box = document.querySelector(".search");
  if (box) {
    var root = box.getAttribute("data-root") || "";
    var input = box.querySelector("input");
    var list = box.querySelector(".search-results");
    var status = box.querySelector(".search-status");
    var filterLabel = box.querySelector(".search-filter");
    var filter = box.querySelector("select");
    var kinds = { exigence: "Exigence", preuve: "Preuve", page: "Page", dispositif: "Dispositif", equivalence: "Équivalence" };
    var stop = " au aux avec ce ces cette dans de des du elle en est et il la le les leur leurs ne ou par pas pour qu que qui sa se ses son sont sur un une ";
    var manifest = null, words = {}, chunks = {}, waiting = {}, generation = 0, last = null;
    var nojs = document.querySelector(".search-nojs");
    if (nojs) nojs.hidden = true;
    box.hidden = false;

    window.segurdocSearch = function (kind, key, data) {
      if (kind === "m") manifest = data;
      else if (kind === "t") words[key] = data;
      else chunks[key] = data;
      var done = waiting[kind + key] || [];
      delete waiting[kind + key];
      done.forEach(function (f) { f(); });
    };
    function have(kind, key) {
      return kind === "m" ? manifest : kind === "t" ? words[key] : chunks[key];
    }
    /* Calls `then` once the file is there; a word file that does not exist
       holds no word. */
    function need(kind, key, then) {
      if (have(kind, key)) { then(); return; }
      if (waiting[kind + key]) { waiting[kind + key].push(then); return; }
      waiting[kind + key] = [then];
      var s = document.createElement("script");
      s.src = root + "search/" + (kind === "m" ? "manifest" : kind + "/" + key) + ".js";
      s.onerror = function () {
        if (kind === "m") { delete waiting[kind + key]; status.textContent = "Index de recherche indisponible."; return; }
        window.segurdocSearch(kind, key, kind === "t" ? {} : []);
      };
      document.head.appendChild(s);
    }
    function needAll(kind, keys, then) {
      var left = keys.length;
      if (!left) { then(); return; }
      keys.forEach(function (k) { need(kind, k, function () { if (--left === 0) then(); }); });
    }
    function terms(q) {
      return q.split(/[^\p{L}\p{N}._-]+/u).map(function (w) {
        return w.replace(/^[._-]+|[._-]+$/g, "");
      }).filter(function (w) { return w.length >= 2 && stop.indexOf(" " + w + " ") < 0; });
    }
    function fileKey(w, n) {
      return Array.from(w).slice(0, n).join("").replace(/[^a-z0-9]/g, "_");
    }
    /* The word file holding the words that start with `t`: a large file
       names longer ones (c). Calls then(file, incomplete): incomplete when
       `t` is shorter than the files holding its words. */
    function resolve(t, key, then) {
      need("t", key, function () {
        var f = words[key], n = Array.from(key).length;
        if (!f.c || !f.c.length) { then(f, false); return; }
        if (Array.from(t).length <= n) { then(f, true); return; }
        var next = fileKey(t, n + 1);
        if (f.c.indexOf(next) < 0) { then(f, false); return; }
        resolve(t, next, then);
      });
    }
    function groupOf(n) {
      var g = 0;
      while (g + 1 < manifest.groups.length && manifest.groups[g + 1].s <= n) g++;
      return g;
    }
    function entry(n) {
      var c = chunks[Math.floor(n / manifest.chunk)];
      return c && c[n % manifest.chunk];
    }

    function run() {
      var gen = ++generation;
      var q = fold(input.value.trim());
      list.innerHTML = "";
      filterLabel.hidden = true;
      last = null;
      if (q.length < 2) { status.textContent = ""; return; }
      need("m", "manifest", function () {
        if (gen !== generation) return;
        /* A dispositif's code among the words restricts to it. */
        var only = null;
        var ts = terms(q).filter(function (t) {
          for (var g = 1; g < manifest.groups.length; g++) {
            if (fold(manifest.groups[g].c) === t) { only = g; return false; }
          }
          return true;
        });
        if (!ts.length) {
          status.textContent = only === null ? "Précisez la recherche : ces mots sont trop courants." : "Précisez la recherche dans " + manifest.groups[only].c + ".";
          return;
        }
        if (!have("t", fileKey(ts[0], 2))) status.textContent = "Recherche…";
        var files = [], short = [], left = ts.length;
        ts.forEach(function (t, i) {
          resolve(t, fileKey(t, 2), function (f, incomplete) {
            files[i] = f;
            if (incomplete) short.push(t);
            if (--left === 0 && gen === generation) search(ts, files, short, only, gen);
          });
        });
      });
    }

    function search(ts, files, short, only, gen) {
      var total = manifest.total;
      var hits = null;
      var exact = new Uint8Array(total), prefix = new Uint8Array(total);
      ts.forEach(function (t, ti) {
        var mark = new Uint8Array(total);
        var ws = files[ti].w;
        for (var w in ws) {
          if (w.lastIndexOf(t, 0) !== 0) continue;
          var n = 0, p = ws[w].w;
          for (var i = 0; i < p.length; i++) { n += p[i]; mark[n] = 1; }
          if (ts.length === 1 && ws[w].t) {
            n = 0; p = ws[w].t;
            for (i = 0; i < p.length; i++) { n += p[i]; if (w === t) exact[n] = 1; else prefix[n] = 1; }
          }
        }
        if (hits === null) hits = mark;
        else for (var j = 0; j < total; j++) hits[j] &= mark[j];
      });
      var found = [];
      for (var n = 0; n < total; n++) {
        if (hits[n]) found.push([exact[n] ? 0 : prefix[n] ? 1 : 2, n, groupOf(n)]);
      }
      found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      last = { found: found, only: only, gen: gen, short: short };
      show();
    }

    /* Shows the results of the last search, grouped by dispositif, through
       the dispositif filter. */
    function show() {
      if (!last) return;
      var gen = last.gen, found = last.found, only = last.only;
      var counts = {};
      found.forEach(function (f) { counts[f[2]] = (counts[f[2]] || 0) + 1; });
      var groups = Object.keys(counts).map(Number).sort(function (a, b) { return a - b; });
      var chosen = only !== null ? only : filter.value === "" ? null : Number(filter.value);
      if (chosen !== null && !counts[chosen]) chosen = only;
      if (only === null && groups.length > 1) {
        var keep = chosen === null ? "" : String(chosen);
        filter.innerHTML = "";
        var all = document.createElement("option");
        all.value = "";
        all.textContent = "Tous (" + found.length + ")";
        filter.appendChild(all);
        groups.forEach(function (g) {
          var o = document.createElement("option");
          o.value = String(g);
          o.textContent = (manifest.groups[g].c || "Pages et dispositifs") + " (" + counts[g] + ")";
          filter.appendChild(o);
        });
        filter.value = keep;
        filterLabel.hidden = false;
      } else {
        filterLabel.hidden = true;
      }
      var kept = chosen === null ? found : found.filter(function (f) { return f[2] === chosen; });
      var shown = kept.slice(0, 30);
      var needed = [];
      shown.forEach(function (f) {
        var c = Math.floor(f[1] / manifest.chunk);
        if (needed.indexOf(c) < 0) needed.push(c);
      });
      needAll("d", needed, function () {
        if (gen !== generation) return;
        list.innerHTML = "";
        var ul = null, current = -1;
        shown.forEach(function (f) {
          var e = entry(f[1]);
          if (!e) return;
          if (f[2] !== current) {
            current = f[2];
            var gli = document.createElement("li");
            gli.className = "search-group";
            var name = document.createElement("span");
            name.className = "group-name";
            name.textContent = manifest.groups[current].n + " · " + counts[current] + (counts[current] > 1 ? " résultats" : " résultat");
            gli.appendChild(name);
            ul = document.createElement("ul");
            gli.appendChild(ul);
            list.appendChild(gli);
          }
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = root + e.u;
          var kind = document.createElement("span");
          kind.className = "kind";
          kind.textContent = (kinds[e.k] || e.k) + (e.d ? " " + e.d : "");
          a.appendChild(kind);
          a.appendChild(document.createTextNode(e.t));
          if (e.x) {
            var ex = document.createElement("span");
            ex.className = "excerpt";
            ex.textContent = e.x;
            a.appendChild(ex);
          }
          li.appendChild(a);
          ul.appendChild(li);
        });
        var n = kept.length;
        var dispositifs = groups.filter(function (g) { return manifest.groups[g].c; }).length;
        var where = chosen !== null ? (manifest.groups[chosen].c ? " dans " + manifest.groups[chosen].c : " dans les pages")
          : groups.length < 2 ? ""
          : dispositifs === groups.length ? " dans " + dispositifs + " dispositifs"
          : " dans " + (dispositifs > 1 ? dispositifs + " dispositifs" : "un dispositif") + " et les pages";
        var partial = last.short.length ? " Précisez la recherche : trop de mots commencent par « " + last.short.join(" », « ") + " », seuls les mots exacts sont cherchés." : "";
        status.textContent = (n === 0 ? "Aucun résultat."
          : n + (n > 1 ? " résultats" : " résultat") + where + (n > shown.length ? " (30 premiers affichés)" : "") + ".") + partial;
      });
    }

    input.addEventListener("focus", function () { need("m", "manifest", function () {}); });
    input.addEventListener("input", run);
    filter.addEventListener("change", function () { generation++; if (last) { last.gen = generation; show(); } });
    box.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { input.value = ""; run(); input.focus(); }
      if ((ev.key === "ArrowDown" || ev.key === "ArrowUp") && ev.target !== filter) {
        var links = Array.prototype.slice.call(list.querySelectorAll("a"));
        if (!links.length) return;
        var at = links.indexOf(document.activeElement);
        var next = ev.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : at - 1;
        (next < 0 ? input : links[next]).focus();
        ev.preventDefault();
      }
    });
  }

  /* ---- Filters: REM guides (requirements) and checklists (proofs) ---- */
  /* Each checkbox group `name` keeps the items whose `data-<name>` is
     checked; items without the attribute are kept. */
  Array.prototype.forEach.call(document.querySelectorAll("form.filters"), function (form) {
    form.hidden = false;
    var scope = form.parentNode;
    var items = Array.prototype.slice.call(scope.querySelectorAll(form.getAttribute("data-items") || "article.requirement"));
    var groupSel = form.getAttribute("data-groups") || "section.chapter";
    var groups = Array.prototype.slice.call(scope.querySelectorAll(groupSel));
    var noun = form.getAttribute("data-noun") || "exigence";
    var out = form.querySelector(".filter-status");
    var names = [];
    Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]"), function (b) {
      if (names.indexOf(b.name) < 0) names.push(b.name);
    });
    var apply = function () {
      var sets = names.map(function (name) {
        var set = {};
        Array.prototype.forEach.call(form.querySelectorAll("input[name=" + name + "]"), function (b) {
          if (b.checked) set[b.value] = true;
        });
        return [name, set];
      });
      var visible = 0;
      items.forEach(function (r) {
        var show = sets.every(function (ns) {
          var v = r.getAttribute("data-" + ns[0]);
          return v === null || ns[1][v];
        });
        r.hidden = !show;
        if (show) visible++;
      });
      groups.forEach(function (g) {
        g.hidden = !items.some(function (r) { return !r.hidden && g.contains(r); });
      });
      var s = visible > 1 ? "s" : "";
      out.textContent = visible + " " + noun + s + " affichée" + s + " sur " + items.length + ".";
    };
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    apply();
  });
})();
