"use strict";
(function () {
  // One listener per kind of action on the document (event delegation): the page may hold tens of
  // thousands of records and marks, and none of them gets a listener of its own.
  // Large pages ship most record cards inside <template> elements: parsed but not styled or laid
  // out, so the page shows at once. They are put in place a slice at a time while the reader
  // looks at the top, and all at once when something needs them (a link, a filter, printing).
  var pending = Array.prototype.slice.call(document.querySelectorAll("template.deferred"));
  function ready() { document.documentElement.setAttribute("data-ready", "true"); }
  function materialize(t) { if (t.parentNode) t.parentNode.replaceChild(t.content, t); }
  function materializeAll() {
    if (!pending.length) return;
    while (pending.length) materialize(pending.shift());
    ready();
  }
  function step() {
    var until = performance.now() + 12;
    while (pending.length && performance.now() < until) materialize(pending.shift());
    if (pending.length) setTimeout(step, 0); else ready();
  }
  if (pending.length) setTimeout(step, 0); else ready();
  window.addEventListener("beforeprint", materializeAll);
  function byId(id) {
    var found = document.getElementById(id);
    if (!found && pending.length) { materializeAll(); found = document.getElementById(id); }
    return found;
  }
  if (location.hash.length > 1 && !document.getElementById(location.hash.slice(1)) && pending.length) {
    var wanted = byId(location.hash.slice(1));
    if (wanted) wanted.scrollIntoView();
  }

  var active = [];
  var selected = null;
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  var panelTitle = document.getElementById("panel-title");

  function clearMarks() {
    for (var i = 0; i < active.length; i++) active[i].classList.remove("active");
    active = [];
    if (selected) selected.classList.remove("selected");
    selected = null;
  }

  function showEvidence(key) {
    clearMarks();
    var card = byId(key);
    if (!card) return;
    var ids = (card.getAttribute("data-marks") || "").split(" ");
    for (var i = 0; i < ids.length; i++) {
      var mark = ids[i] && document.getElementById(ids[i]);
      if (mark) { mark.classList.add("active"); active.push(mark); }
    }
    card.classList.add("selected");
    selected = card;
    if (active.length) {
      active[0].scrollIntoView({ block: "center" });
      active[0].focus({ preventScroll: true });
    }
  }

  function recordLink(card) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = "#" + card.id;
    a.textContent = card.getAttribute("data-type") + ": " + card.getAttribute("data-label");
    var code = document.createElement("code");
    code.className = "rid";
    code.textContent = card.getAttribute("data-id");
    li.appendChild(a);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(code);
    return li;
  }

  var opener = null;

  function showSupported(mark, byKeyboard) {
    clearMarks();
    mark.classList.add("active");
    active.push(mark);
    var keys = (mark.getAttribute("data-r") || "").split(" ");
    panelTitle.textContent = "Characters " + mark.getAttribute("data-start") + "–" + mark.getAttribute("data-end") +
      " support " + keys.length + (keys.length === 1 ? " record" : " records");
    panelBody.textContent = "";
    var list = document.createElement("ul");
    list.className = "plain";
    for (var i = 0; i < keys.length; i++) {
      var card = byId(keys[i]);
      if (card) list.appendChild(recordLink(card));
    }
    panelBody.appendChild(list);
    panel.hidden = false;
    opener = mark;
    if (byKeyboard) {
      var first = panel.querySelector("a");
      if (first) first.focus();
    }
  }

  function closePanel() {
    if (panel.hidden) return;
    panel.hidden = true;
    if (opener && panel.contains(document.activeElement)) opener.focus();
  }

  function copyId(button) {
    var value = button.closest("article").getAttribute("data-id");
    function selectIt() {
      var code = button.previousElementSibling;
      var range = document.createRange();
      range.selectNodeContents(code);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(value).then(function () { button.textContent = "copied"; }, selectIt);
    } else {
      selectIt();
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var button = target.closest("button");
    if (button) {
      if (button.hasAttribute("data-show")) showEvidence(button.getAttribute("data-show"));
      else if (button.hasAttribute("data-copy")) copyId(button);
      else if (button.classList.contains("close")) closePanel();
      return;
    }
    var mark = target.closest("mark.ev");
    if (mark) { showSupported(mark, false); return; }
    var link = target.closest("a[href^='#r']");
    if (!link && !target.closest("a, .rid, details, #panel, select")) {
      // A click on a record (not on its links, its id or while selecting text) shows its evidence.
      var record = target.closest("article.card[data-marks]:not(.source)");
      var selection = window.getSelection();
      if (record && record.getAttribute("data-marks") && (!selection || selection.isCollapsed)) {
        showEvidence(record.id);
        return;
      }
    }
    if (link) {
      // Put deferred cards in place first, so the browser's own jump to the anchor finds it.
      var card = byId(link.getAttribute("href").slice(1));
      if (card) { clearMarks(); card.classList.add("selected"); selected = card; }
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closePanel(); clearMarks(); return; }
    var target = event.target;
    if ((event.key === "Enter" || event.key === " ") && target instanceof Element && target.matches("mark.ev")) {
      event.preventDefault();
      showSupported(target, true);
    }
  });

  // Measure filters: one pass over the cards, then hide groups left empty.
  var filters = document.getElementById("measure-filters");
  if (filters) {
    var shown = document.getElementById("measures-shown");
    filters.addEventListener("change", function () {
      materializeAll();
      var cards = document.querySelectorAll("#measures .card[data-parties]");
      var groups = document.querySelectorAll("#measures .board-group");
      var party = filters.elements.party.value, type = filters.elements.type.value,
        status = filters.elements.status.value, count = 0;
      for (var i = 0; i < cards.length; i++) {
        var c = cards[i];
        var ok = (!party || (" " + c.getAttribute("data-parties") + " ").indexOf(" " + party + " ") >= 0) &&
          (!type || c.getAttribute("data-mtype") === type) &&
          (!status || c.getAttribute("data-status") === status);
        c.hidden = !ok;
        if (ok) count++;
      }
      for (var j = 0; j < groups.length; j++) {
        groups[j].hidden = groups[j].querySelector(".card:not([hidden])") === null;
      }
      shown.textContent = String(count);
    });
  }
})();
