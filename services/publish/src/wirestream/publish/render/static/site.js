/* Wirestream reader site: the live ticker (Server-Sent Events) and comment posting.
 * Everything from the network is inserted with textContent, never innerHTML. */
(() => {
  "use strict";
  const doc = document;
  const pageLang = (doc.documentElement.lang || "").split("-")[0];
  const TICKER_MAX = 10;
  const LATEST_MAX = 60;
  const GONE_KINDS = new Set(["unpublished", "killed", "article.unpublished", "article.killed"]);
  // publish's /live names each event after its kind; unnamed events arrive as "message".
  const LIVE_EVENTS = ["message", "published", "updated", "breaking", "killed", "unpublished"];

  function el(tag, className, text) {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Only http(s) links: a javascript: URL in an event must never become an href.
  function safeUrl(raw) {
    try {
      const url = new URL(String(raw), window.location.href);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch {
      return null;
    }
  }

  function childFor(list, articleId) {
    for (const child of list.children) {
      if (child.dataset.articleId === articleId) return child;
    }
    return null;
  }

  function prepend(list, articleId, node, max) {
    const old = childFor(list, articleId);
    if (old) old.remove();
    node.dataset.articleId = articleId;
    node.classList.add("is-new");
    list.prepend(node);
    while (list.children.length > max) list.lastElementChild.remove();
  }

  function headlineLink(data, href) {
    const a = el("a", "", data.headline);
    a.href = href;
    if (data.language) a.lang = data.language;
    return a;
  }

  function badgeFor(kind) {
    const ticker = doc.getElementById("ticker");
    const labels = ticker ? ticker.dataset : {};
    if (kind === "breaking") return el("span", "badge badge-breaking", labels.labelBreaking || "!");
    if (kind === "updated") return el("span", "badge", labels.labelUpdated || "↻");
    return null;
  }

  function latestItem(data, href) {
    const li = el("li");
    const card = el("article", "card");
    const body = el("div", "card-body");
    const title = el("h3", "card-title");
    title.append(headlineLink(data, href));
    const badge = badgeFor(data.kind);
    if (badge) {
      const meta = el("p", "meta");
      meta.append(badge);
      body.append(meta);
    }
    body.append(title);
    card.append(body);
    li.append(card);
    return li;
  }

  function removeEverywhere(articleId) {
    for (const list of doc.querySelectorAll(".ticker-items, #latest")) {
      const item = childFor(list, articleId);
      if (item) item.remove();
    }
  }

  function onLive(event) {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (!data || typeof data.article_id !== "string") return;
    if (GONE_KINDS.has(data.kind)) {
      removeEverywhere(data.article_id);
      return;
    }
    const href = safeUrl(data.url);
    if (!href || typeof data.headline !== "string") return;
    if (pageLang && data.language && String(data.language).split("-")[0] !== pageLang) return;

    const ticker = doc.getElementById("ticker");
    const tickerList = ticker && ticker.querySelector(".ticker-items");
    if (tickerList) {
      const li = el("li");
      const badge = badgeFor(data.kind);
      if (badge) li.append(badge);
      li.append(headlineLink(data, href));
      prepend(tickerList, data.article_id, li, TICKER_MAX);
      ticker.hidden = false;
    }
    const latest = doc.getElementById("latest");
    if (latest) {
      prepend(latest, data.article_id, latestItem(data, href), LATEST_MAX);
      const empty = latest.parentElement.querySelector(".empty");
      if (empty) empty.remove();
    }
  }

  function startLive() {
    const ticker = doc.getElementById("ticker");
    if (!ticker || !ticker.dataset.sse || !("EventSource" in window)) return;
    // EventSource reconnects by itself (honouring the server's retry: field).
    const source = new EventSource(ticker.dataset.sse);
    for (const name of LIVE_EVENTS) source.addEventListener(name, onLive);
  }

  function appendComment(section, commentId, author, body) {
    const list = section.querySelector(".comment-list");
    const li = el("li", "comment");
    if (commentId) li.dataset.commentId = String(commentId);
    const meta = el("p", "comment-meta");
    meta.append(el("strong", "comment-author", author));
    const text = el("div", "comment-body");
    for (const para of body.split("\n")) {
      if (para.trim()) text.append(el("p", "", para));
    }
    li.append(meta, text);
    list.append(li);
    const empty = section.querySelector(".no-comments");
    if (empty) empty.remove();
    const count = section.querySelector("h2 .count");
    if (count) count.textContent = `(${list.children.length})`;
  }

  function startComments() {
    const form = doc.querySelector("#comments form.comment-form");
    if (!form || !("fetch" in window)) return;
    const section = form.closest("#comments");
    const status = form.querySelector(".form-status");
    const button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const author = form.elements.author.value.trim();
      const body = form.elements.body.value.trim();
      if (!author || !body) return;
      button.disabled = true;
      status.textContent = "";
      try {
        const response = await fetch(form.action, {
          method: "POST",
          // The comments service refuses unsafe requests without this header (CSRF).
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "X-Requested-With": "wirestream",
          },
          body: JSON.stringify({ author, body }),
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const data = await response.json().catch(() => ({}));
        // Show the comment at once only if the service says it is already visible.
        if (data.status === "approved") {
          appendComment(section, data.comment_id, author, body);
        } else {
          status.textContent = form.dataset.msgPending || "";
        }
        form.elements.body.value = "";
      } catch {
        status.textContent = form.dataset.msgError || "";
      } finally {
        button.disabled = false;
      }
    });
  }

  // A random id per browser, so a reader without an account votes once per poll.
  function voterId() {
    const key = "wirestream-voter";
    let id = null;
    try {
      id = window.localStorage.getItem(key);
    } catch {
      id = null;
    }
    if (!id || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
      const bytes = new Uint8Array(18);
      window.crypto.getRandomValues(bytes);
      id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      try {
        window.localStorage.setItem(key, id);
      } catch {
        /* private mode: a new id per page view */
      }
    }
    return id;
  }

  function votesText(box, n) {
    let forms = {};
    try {
      forms = JSON.parse(box.dataset.voteForms || "{}");
    } catch {
      forms = {};
    }
    const category = new Intl.PluralRules(pageLang || "en").select(n);
    const form = forms[category] || forms.other || "{n}";
    return form.replace("{n}", new Intl.NumberFormat(pageLang || "en").format(n));
  }

  function showResults(box, poll) {
    const total = Number(poll.total_votes) || 0;
    for (const option of poll.options || []) {
      const li = box.querySelector(`li[data-option-id="${Number(option.index)}"]`);
      if (!li) continue;
      const votes = Number(option.votes) || 0;
      const percent = total ? Math.round((100 * votes) / total) : 0;
      const meter = li.querySelector("meter");
      if (meter) meter.value = percent;
      const pct = li.querySelector(".poll-percent");
      if (pct) pct.textContent = `${new Intl.NumberFormat(pageLang || "en").format(percent)}%`;
      const count = li.querySelector(".poll-votes");
      if (count) count.textContent = votesText(box, votes);
    }
    const sum = box.querySelector(".poll-total");
    const sumText = sum && sum.querySelector("span");
    if (sumText) sumText.textContent = votesText(box, total);
    box.classList.add("voted");
  }

  function startPolls() {
    if (!("fetch" in window)) return;
    for (const box of doc.querySelectorAll(".poll-box[data-vote-url]")) {
      const url = safeUrl(box.dataset.voteUrl);
      const status = box.querySelector(".form-status");
      if (!url) continue;
      box.addEventListener("click", async (event) => {
        const button = event.target.closest("button.poll-vote");
        if (!button || box.classList.contains("voted")) return;
        button.disabled = true;
        try {
          const response = await fetch(url, {
            method: "POST",
            headers: {
              "Content-Type": "application/json",
              Accept: "application/json",
              "X-Requested-With": "wirestream",
            },
            body: JSON.stringify({ option: Number(button.value), voter_id: voterId() }),
          });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          showResults(box, await response.json());
        } catch {
          if (status) status.textContent = box.dataset.msgError || "";
        } finally {
          button.disabled = false;
        }
      });
    }
  }

  startLive();
  startComments();
  startPolls();
})();
