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
})();
