/* segurdoc: client-side search and REM filters. The site works without
   this script; it only adds these two conveniences. */
(function () {
  "use strict";

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
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
  var box = document.querySelector(".search");
  if (box) {
    var root = box.getAttribute("data-root") || "";
    var input = box.querySelector("input");
    var list = box.querySelector(".search-results");
    var status = box.querySelector(".search-status");
    var index = null;
    var loading = false;
    var kinds = { exigence: "Exigence", preuve: "Preuve", page: "Page", dispositif: "Dispositif", equivalence: "Équivalence", candidature: "Candidature" };
    box.hidden = false;

    function prepare(entries) {
      index = entries.map(function (e) {
        return { e: e, id: fold(e.t), hay: fold(e.t + " " + (e.d || "") + " " + (e.x || "")) };
      });
      run();
    }

    function load() {
      if (index || loading) return;
      loading = true;
      status.textContent = "Chargement de l'index…";
      var fallback = function () {
        /* file:// pages cannot fetch: the same index is shipped as a script. */
        var s = document.createElement("script");
        s.src = root + "assets/search-index.js";
        s.onload = function () { prepare(window.SEGURDOC_SEARCH || []); };
        s.onerror = function () { status.textContent = "Index de recherche indisponible."; };
        document.head.appendChild(s);
      };
      if (location.protocol === "file:" || !window.fetch) { fallback(); return; }
      fetch(root + "search-index.json").then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(prepare).catch(fallback);
    }

    function run() {
      var q = fold(input.value.trim());
      list.innerHTML = "";
      if (!index) return;
      if (q.length < 2) { status.textContent = ""; return; }
      var terms = q.split(/\s+/);
      var hits = [];
      for (var i = 0; i < index.length; i++) {
        var it = index[i];
        var ok = true;
        for (var j = 0; j < terms.length; j++) {
          if (it.hay.indexOf(terms[j]) < 0) { ok = false; break; }
        }
        if (!ok) continue;
        var score = it.id === q ? 0 : it.id.indexOf(q) === 0 ? 1 : it.id.indexOf(q) >= 0 ? 2 : 3;
        hits.push([score, i]);
      }
      hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      var shown = hits.slice(0, 30);
      shown.forEach(function (h) {
        var e = index[h[1]].e;
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
        list.appendChild(li);
      });
      status.textContent = hits.length === 0 ? "Aucun résultat."
        : hits.length + (hits.length > 1 ? " résultats" : " résultat") + (hits.length > shown.length ? " (30 premiers affichés)" : "") + ".";
    }

    input.addEventListener("focus", load);
    input.addEventListener("input", function () { load(); run(); });
    box.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { input.value = ""; run(); input.focus(); }
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
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
