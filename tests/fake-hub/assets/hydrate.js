// Stands in for the Hub's Svelte hydration: shortly after load each island's server-rendered
// children are replaced by fresh copies (an injected node inside an island disappears, as on
// the real site). Also offers a client-side navigation for tests of URL changes without reload.
(function () {
  const delay = Number(new URLSearchParams(location.search).get("hydrateDelay") ?? "150");
  function rehydrate(island) {
    const fresh = Array.from(island.childNodes).map((node) => node.cloneNode(true));
    const badges = fresh.filter((node) => node.nodeType === 1 && node.tagName.toLowerCase().startsWith("hub-sentinel"));
    for (const badge of badges) fresh.splice(fresh.indexOf(badge), 1);
    for (const node of fresh) stripInjected(node);
    island.replaceChildren(...fresh);
  }
  function stripInjected(node) {
    if (node.nodeType !== 1) return;
    for (const injected of Array.from(node.querySelectorAll("*"))) {
      if (injected.tagName.toLowerCase().startsWith("hub-sentinel")) injected.remove();
    }
  }
  function hydrateAll() {
    for (const island of Array.from(document.querySelectorAll(".SVELTE_HYDRATER"))) rehydrate(island);
    document.documentElement.setAttribute("data-hydrated", "true");
  }
  setTimeout(hydrateAll, delay);
  window.__fakeHydrate = hydrateAll;
  // Client-side navigation: fetch the target page and swap <main>, then pushState.
  window.__fakeNavigate = async function (href) {
    const response = await fetch(href);
    const text = await response.text();
    const parsed = new DOMParser().parseFromString(text, "text/html");
    const next = parsed.querySelector("main");
    const current = document.querySelector("main");
    if (next && current) current.replaceWith(document.importNode(next, true));
    history.pushState({}, "", href);
    document.documentElement.setAttribute("data-navigated", href);
  };
  // "Load more files" on tree pages: appends the next rows to the list client-side, as the Hub does.
  // Listing filters and paging (`data-fake-filter` links): fetch the page and replace only the list
  // container in place (the Hub fetches /models-json and re-renders the list), then pushState.
  let listReplacements = 0;
  window.__fakeReplaceList = async function (href) {
    const response = await fetch(href);
    const parsed = new DOMParser().parseFromString(await response.text(), "text/html");
    const next = parsed.querySelector("[data-fake-list]");
    const current = document.querySelector("[data-fake-list]");
    if (next && current) current.replaceWith(document.importNode(next, true));
    history.pushState({}, "", href);
    document.documentElement.setAttribute("data-list-replaced", String(++listReplacements));
  };
  let loadMoreClicks = 0;
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const more = target && target.closest("[data-fake-load-more]");
    if (more) {
      const template = more.parentElement && more.parentElement.querySelector("template[data-fake-more-rows]");
      const list = more.parentElement && more.parentElement.querySelector("ul");
      if (template && list) list.append(document.importNode(template.content, true));
      if (template) template.remove();
      more.remove();
      document.documentElement.setAttribute("data-loaded-more", String(++loadMoreClicks));
      return;
    }
    const filter = target && target.closest("a[data-fake-filter]");
    if (filter) {
      event.preventDefault();
      void window.__fakeReplaceList(filter.getAttribute("href"));
    }
  });
})();
