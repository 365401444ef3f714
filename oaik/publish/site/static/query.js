// The query page: YASGUI (vendored, no CDN) preloaded with OAIK's canned queries.
// The endpoint is the page's data-endpoint if the site was built with one, else
// /sparql of the server that serves the page (`oaik serve`); the field changes it.
(function () {
  "use strict";

  function start() {
    var holder = document.getElementById("yasgui");
    var canned = JSON.parse(document.getElementById("canned-queries").textContent);
    var select = document.getElementById("canned");
    var field = document.getElementById("endpoint");
    var endpoint = holder.dataset.endpoint || new URL("/sparql", window.location.href).href;
    field.value = endpoint;
    // A deep link (query.html#<name>, as figure captions give) names a canned query:
    // read it now, since YASGUI clears location.hash when it starts.
    var wanted = decodeURIComponent(window.location.hash.slice(1));
    var yasgui = new Yasgui(holder, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      persistenceId: null,
      yasqe: { autocompleters: ["variables"], persistenceId: null },
      yasr: { persistenceId: null }
    });
    var byName = {};
    canned.forEach(function (query) { byName[query.name] = query; });
    function load(name) {
      var query = byName[name];
      if (!query) { return; }
      select.value = name;
      yasgui.getTab().setQuery(query.query);
    }
    load(byName[wanted] ? wanted : select.value);
    select.addEventListener("change", function () { load(select.value); });
    field.addEventListener("change", function () {
      if (field.value) { yasgui.getTab().setEndpoint(field.value); }
    });
    document.getElementById("query-controls").addEventListener("submit", function (event) { event.preventDefault(); });
    window.oaikYasgui = yasgui;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
