/* Wirestream moderation dashboard. Talks to the comments API with the moderator's key;
 * everything from the network is inserted with textContent, never innerHTML. */
(() => {
  "use strict";
  const doc = document;
  const T = JSON.parse(doc.getElementById("strings").textContent);
  const KEY = "wirestream.moderation.key";
  const $ = (id) => doc.getElementById(id);
  const state = { tab: "pending", cursor: null };

  function el(tag, className, text) {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function say(text, isError) {
    $("status").textContent = text;
    $("status").className = isError ? "error" : "";
  }

  async function api(method, path, body) {
    const key = sessionStorage.getItem(KEY);
    if (!key) throw new Error(T.key_missing);
    const headers = { Authorization: `Bearer ${key}`, "X-Requested-With": "wirestream",
                      Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method, headers,
      body: body === undefined ? undefined : JSON.stringify(body) });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(`${T.failed}: ${data.detail || data.title || response.status}`);
    return data;
  }

  async function act(fn) {
    try {
      await fn();
      say(T.done);
    } catch (err) {
      say(err.message, true);
    }
  }

  function button(label, onClick) {
    const b = el("button", "", label);
    b.type = "button";
    b.addEventListener("click", () => act(onClick));
    return b;
  }

  function commentItem(c) {
    const li = el("li", "item");
    const meta = el("p", "meta");
    meta.append(el("strong", "", c.author), " · ",
      el("span", "", `${T.reader}: ${c.author_id}`), " · ",
      el("span", "", `${T.article}: ${c.article_id}`), " · ",
      el("time", "", new Date(c.created_at).toLocaleString(doc.documentElement.lang)));
    li.append(meta);
    if (c.reason) li.append(el("p", "reason", `${T.held_because}: ${c.reason}`));
    const reasons = Object.entries(c.report_reasons || {});
    if (reasons.length) {
      li.append(el("p", "reports", `${T.reports}: ` + reasons.map(([r, n]) => `${r} × ${n}`).join(", ")));
    }
    const body = el("div", "body");
    body.dir = "auto";
    for (const para of String(c.body).split("\n")) if (para.trim()) body.append(el("p", "", para));
    li.append(body);
    const path = `/v1/moderation/comments/${encodeURIComponent(c.comment_id)}`;
    const reader = `/v1/moderation/readers/${encodeURIComponent(c.author_id)}/status`;
    const done = () => li.remove();
    const actions = el("p", "actions");
    actions.append(
      button(T.approve, async () => { await api("POST", `${path}/approve`); done(); }),
      button(T.reject, async () => {
        const reason = prompt(T.reason_prompt);
        if (!reason) return;
        await api("POST", `${path}/reject`, { reason }); done();
      }),
      button(T.delete, async () => { await api("POST", `${path}/delete`, {}); done(); }),
      button(c.featured ? T.unfeature : T.feature,
        () => api("POST", `${path}/feature`, { featured: !c.featured })),
      button(T.suspend, () => api("PUT", reader, { status: "suspended",
        until: new Date(Date.now() + 86400000).toISOString(), reason: prompt(T.reason_prompt) })),
      button(T.ban, async () => {
        const reason = prompt(T.reason_prompt);
        if (!reason) return;
        await api("PUT", reader, { status: "banned", reason });
      }),
    );
    li.append(actions);
    return li;
  }

  function auditRow(e) {
    const tr = el("tr");
    tr.append(el("td", "", new Date(e.at).toLocaleString(doc.documentElement.lang)),
      el("td", "", `${e.actor} (${e.role})`), el("td", "", e.action),
      el("td", "", `${e.target_type} ${e.target_id}`), el("td", "", e.reason || ""));
    return tr;
  }

  async function load(more) {
    const audit = state.tab === "audit";
    $("queue").hidden = audit;
    $("audit").hidden = !audit;
    if (!more) {
      state.cursor = null;
      $("queue").replaceChildren();
      $("audit").tBodies[0].replaceChildren();
    }
    let next = null;
    if (audit) {
      const q = state.cursor ? `?before=${state.cursor}` : "";
      const data = await api("GET", `/v1/admin/audit${q}`);
      for (const e of data.entries) $("audit").tBodies[0].append(auditRow(e));
      next = data.next_before;
    } else {
      const q = new URLSearchParams({ kind: state.tab });
      if (state.cursor) q.set("cursor", state.cursor);
      const data = await api("GET", `/v1/moderation/queue?${q}`);
      for (const c of data.comments) $("queue").append(commentItem(c));
      if (!data.comments.length && !more) $("queue").append(el("li", "empty", T.empty));
      next = data.next_cursor;
    }
    state.cursor = next;
    $("more").hidden = !next;
  }

  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY, $("api-key").value.trim());
    $("api-key").value = "";
    act(() => load(false));
  });
  $("key-forget").addEventListener("click", () => sessionStorage.removeItem(KEY));
  $("refresh").addEventListener("click", () => act(() => load(false)));
  $("more").addEventListener("click", () => act(() => load(true)));
  for (const tab of doc.querySelectorAll("[data-tab]")) {
    tab.addEventListener("click", () => {
      state.tab = tab.dataset.tab;
      for (const t of doc.querySelectorAll("[data-tab]")) {
        t.setAttribute("aria-selected", String(t === tab));
      }
      act(() => load(false));
    });
  }

  $("article-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const f = event.target.elements;
    act(() => api("PUT", `/v1/moderation/articles/${encodeURIComponent(f.article_id.value.trim())}`,
      { mode: f.mode.value, closed: f.closed.checked }));
  });

  $("poll-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const f = event.target.elements;
    const options = f.options.value.split("\n").map((o) => o.trim()).filter(Boolean);
    act(() => api("POST", `/v1/articles/${encodeURIComponent(f.article_id.value.trim())}/polls`,
      { question: f.question.value.trim(), options,
        closes_at: new Date(f.closes_at.value).toISOString() }));
  });

  if (sessionStorage.getItem(KEY)) act(() => load(false));
})();
