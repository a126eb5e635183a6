// scopelock dashboard: renders /api/state, then every `state` event of /api/stream, without reloading.
// Read-only: the page only sends GET requests. Text from lock files is always set as text, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
let current = null;      // the latest snapshot
let receivedAt = 0;      // when it arrived (ms), to count time left down between updates
let knownAgents = null;  // agents shown before, to mark new rows

function el(tag, attrs, ...children) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.setAttribute("class", value); else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function timeLeft(seconds) {
  if (seconds <= 0) return "0s";
  if (seconds < 60) return `${Math.floor(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

function entriesOf(lock) {
  return [...(lock.directories || []), ...(lock.files || [])];
}

function entryChips(entries, limit = 8) {
  const shown = entries.slice(0, limit).map((entry) => el("span", { class: "entry" }, entry));
  if (entries.length > limit) shown.push(el("span", { class: "entry" }, `+${entries.length - limit} more`));
  return el("div", { class: "entries" }, shown);
}

function render(snapshot) {
  current = snapshot;
  receivedAt = Date.now();
  $("root").textContent = snapshot.root || "";
  $("locks-folder").textContent = snapshot.locks_folder || "";
  $("store").textContent = snapshot.store || "";
  $("generated").textContent = snapshot.generated_at || "";
  const locks = (snapshot.status && snapshot.status.locks) || [];
  renderSummary(locks, snapshot);
  renderLocks(locks, snapshot.status);
  renderWaiters(locks, snapshot.status);
  renderEvents(snapshot.events);
  renderPlan(snapshot.plan, locks);
}

function renderSummary(locks, snapshot) {
  const count = (state) => locks.filter((lock) => lock.state === state).length;
  const shared = locks.filter((lock) => lock.state === "active" && lock.lock && lock.lock.mode === "shared").length;
  const stats = [
    ["active", count("active"), shared ? `active · ${shared} shared` : "active"],
    ["waiting", ((snapshot.status && (snapshot.status.waiting || snapshot.status.waiters)) || []).length, "waiting"],
    ["expired", count("expired"), "expired"],
    ["dead", count("dead"), "dead holder"],
    ["invalid", count("invalid"), "invalid"],
    ["log", ((snapshot.events && snapshot.events.events) || []).length, "recent events"],
  ];
  $("summary").replaceChildren(...stats
    .filter(([name, value]) => value > 0 || name === "active" || name === "log")
    .map(([name, value, label]) => el("div", { class: `stat ${name}` }, el("b", {}, value), el("span", {}, label))));
}

const stateOrder = { active: 0, dead: 1, expired: 2, invalid: 3 };

function renderLocks(locks, status) {
  const rows = locks.filter((lock) => lock.state !== "waiting")
    .sort((a, b) => (stateOrder[a.state] ?? 9) - (stateOrder[b.state] ?? 9) || a.agent.localeCompare(b.agent));
  const seen = new Set(rows.map((lock) => lock.agent));
  const body = rows.map((lock) => {
    const record = lock.lock || {};
    const fresh = knownAgents !== null && !knownAgents.has(lock.agent);
    const left = lock.state === "active" ? lock.seconds_left : null;
    return el("tr", { class: [lock.state === "active" ? "" : "apart", fresh ? "fresh" : ""].join(" ").trim() || null, "data-agent": lock.agent, "data-state": lock.state },
      el("td", { class: "agent" }, lock.agent),
      el("td", {}, el("span", { class: `chip ${lock.state}` }, lock.state)),
      el("td", {}, record.mode ? el("span", { class: `chip ${record.mode}` }, record.mode) : "–"),
      el("td", { class: "left", "data-seconds": left ?? "" }, left === undefined || left === null ? "–" : timeLeft(left)),
      el("td", { class: "task" }, record.task_description || (lock.state === "invalid" ? lock.reason || "" : "–")),
      el("td", {}, lock.lock ? entryChips(entriesOf(record)) : el("span", { class: "entry" }, lock.file || "")));
  });
  $("lock-rows").replaceChildren(...body);
  $("no-locks").hidden = rows.length > 0;
  if (status && status.ok === false) {
    $("no-locks").hidden = false;
    $("no-locks").textContent = `Cannot read the locks: ${status.error.message}`;
  } else {
    $("no-locks").textContent = "No locks are held.";
  }
  knownAgents = seen;
}

function renderWaiters(locks, status) {
  const queue = (status && (status.waiting || status.waiters)) || [];
  const items = queue.map((waiter) => {
    const entries = waiter.entries || entriesOf(waiter.lock || waiter);
    const behind = waiter.behind && waiter.behind.length ? ` behind ${waiter.behind.join(", ")}` : "";
    return el("li", { "data-agent": waiter.agent }, el("b", {}, waiter.agent), ` waits${behind} for `,
      entryChips(entries, 4), waiter.since ? el("span", { class: "muted" }, ` since ${waiter.since.replace(/^.*T/, "").replace(/(\.\d+)?Z$/, "")}`) : null);
  });
  $("waiter-list").replaceChildren(...items);
  $("waiters").hidden = items.length === 0;
}

function renderEvents(events) {
  const list = (events && events.events) || [];
  const items = list.slice().reverse().map((event) => {
    const time = (event.time || "").replace(/^.*T/, "").replace(/(\.\d+)?Z$/, "");
    const what = [el("b", {}, event.agent || "–")];
    if (event.scope && event.scope.length) what.push(" ", el("span", { class: "entry" }, event.scope.slice(0, 3).join(" ") + (event.scope.length > 3 ? ` +${event.scope.length - 3}` : "")));
    const body = el("div", { class: "what" }, what);
    if (event.conflict) {
      const [held] = event.conflict.entries || [];
      body.append(el("span", { class: "why" }, `${event.event === "wait" ? "waits for" : "refused: held by"} ${event.conflict.holder} `,
        el("span", { class: "entry" }, held || "?"), " · both cover ", el("span", { class: "entry" }, event.conflict.witness)));
    }
    return el("li", { "data-event": event.event },
      el("time", { datetime: event.time }, time),
      el("span", { class: `kind ${event.event}` }, event.event), body);
  });
  $("event-list").replaceChildren(...items);
  $("no-events").hidden = items.length > 0;
  if (events && events.skipped) $("no-events").hidden = false, $("no-events").textContent = `${events.skipped} line(s) of the log are not JSON and were skipped.`;
}

// The plan as a picture: waves as columns in order, each agent with its scope, depends_on as arrows,
// conflicts as dashed red lines with their witness, read-only agents in a dashed column of their own.
function renderPlan(plan, locks) {
  const picture = $("plan-picture");
  const note = $("plan-note");
  if (!plan) {
    picture.replaceChildren();
    $("plan-title").textContent = "";
    note.textContent = "No manifest: start the dashboard with --manifest FILE (or keep MANIFEST.yaml at the root) to see its waves.";
    return;
  }
  if (plan.ok === false) {
    picture.replaceChildren();
    $("plan-title").textContent = "";
    note.textContent = `The manifest could not be planned: ${plan.error.message}`;
    return;
  }
  note.textContent = "";
  $("plan-title").textContent = `${plan.workflow} · ${plan.waves.length} wave${plan.waves.length === 1 ? "" : "s"} · ${plan.conflicts.length} conflict${plan.conflicts.length === 1 ? "" : "s"} · ${plan.strategy.name}`;
  const holding = new Set(locks.filter((lock) => lock.state === "active").map((lock) => lock.agent));
  const agents = new Map(plan.agents.map((agent) => [agent.name, agent]));
  const finalOf = new Map();
  for (const agent of plan.agents) for (const name of agent.merged_from || [agent.name]) finalOf.set(name, agent.name);
  const columns = plan.waves.map((wave, index) => ({ label: `wave ${index + 1}`, names: wave, readOnly: false }));
  if (plan.read_only.length) columns.push({ label: "read-only (no lock)", names: plan.read_only, readOnly: true });

  const nodeWidth = 250, pad = 14, gap = 160, top = 36, lineHeight = 15, maxEntries = 6;
  const stride = nodeWidth + 2 * pad + gap;
  const place = new Map();
  let height = 0;
  columns.forEach((column, index) => {
    let y = top;
    const x = pad + index * stride;
    for (const name of column.names) {
      const agent = agents.get(name);
      const entries = agent ? [...agent.directories, ...agent.files] : [];
      const shown = entries.length > maxEntries ? [...entries.slice(0, maxEntries - 1), `+${entries.length - maxEntries + 1} more`] : entries;
      const h = 28 + shown.length * lineHeight + (shown.length ? 4 : 0);
      place.set(name, { x: x + pad, y, w: nodeWidth, h, shown, readOnly: column.readOnly });
      y += h + 14;
    }
    height = Math.max(height, y);
  });
  const width = pad + columns.length * stride - gap + pad;
  const svg = el("svg:svg", { width, height: height + 12, viewBox: `0 0 ${width} ${height + 12}`, role: "img", "aria-label": "plan" });
  const defs = el("svg:defs", {}, el("svg:marker", { id: "arrow", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" },
    el("svg:path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#2f5f9e" })));
  svg.append(defs);
  columns.forEach((column, index) => {
    const x = pad + index * stride;
    svg.append(el("svg:rect", { class: "wave-box", x, y: 6, width: nodeWidth + 2 * pad, height: height, rx: 10, "stroke-dasharray": column.readOnly ? "5 4" : null }));
    svg.append(el("svg:text", { class: "wave-label", x: x + pad, y: 25 }, column.label));
  });
  const edges = el("svg:g", {});
  const labels = el("svg:g", {});
  const curve = (a, b, shift = 0) => {
    const x1 = a.x + a.w, y1 = a.y + a.h / 2 + shift, x2 = b.x, y2 = b.y + b.h / 2 + shift;
    if (x2 <= x1) { // same column: bow out to the right
      const bow = a.x + a.w + 40;
      return { d: `M ${x1} ${y1} C ${bow} ${y1}, ${bow} ${b.y + b.h / 2}, ${b.x + b.w} ${b.y + b.h / 2}`, mx: bow - 10, my: (y1 + b.y + b.h / 2) / 2 };
    }
    const mid = (x1 + x2) / 2;
    return { d: `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`, mx: mid, my: (y1 + y2) / 2 };
  };
  for (const [agent, after] of Object.entries(plan.depends_on || {})) {
    for (const dependency of after) {
      const from = place.get(finalOf.get(dependency) || dependency), to = place.get(finalOf.get(agent) || agent);
      if (!from || !to || from === to) continue;
      edges.append(el("svg:path", { class: "depends", d: curve(from, to).d, "marker-end": "url(#arrow)" }, el("svg:title", {}, `${agent} depends on ${dependency}`)));
    }
  }
  for (const conflict of plan.conflicts) {
    let [one, other] = conflict.agents.map((name) => place.get(finalOf.get(name) || name));
    if (!one || !other || one === other) continue;
    if (other.x < one.x) [one, other] = [other, one];
    const path = curve(one, other, Math.min(8, one.h / 4, other.h / 4));
    const witness = conflict.overlaps[0].witness;
    edges.append(el("svg:path", { class: "conflict", d: path.d }, el("svg:title", {}, `${conflict.overlaps[0].entries.join(" and ")} both cover ${witness}`)));
    const text = witness.length > 25 ? "…" + witness.slice(-24) : witness;
    const w = text.length * 6.3 + 10;
    labels.append(el("svg:rect", { class: "conflict-label-bg", x: path.mx - w / 2, y: path.my + 3, width: w, height: 15, rx: 3 }));
    labels.append(el("svg:text", { class: "conflict-label", x: path.mx, y: path.my + 14, "text-anchor": "middle" }, text,
      el("svg:title", {}, witness)));
  }
  svg.append(edges);
  for (const [name, box] of place) {
    const node = el("svg:g", { class: ["node", box.readOnly ? "readonly" : "", holding.has(name) ? "holding" : ""].join(" ").trim(), "data-agent": name });
    node.append(el("svg:rect", { x: box.x, y: box.y, width: box.w, height: box.h, rx: 7 }));
    node.append(el("svg:text", { class: "name", x: box.x + 10, y: box.y + 18 }, name.length > 32 ? name.slice(0, 31) + "…" : name));
    box.shown.forEach((entry, index) => node.append(el("svg:text", { class: "scope", x: box.x + 10, y: box.y + 34 + index * lineHeight },
      entry.length > 38 ? entry.slice(0, 18) + "…" + entry.slice(-18) : entry)));
    node.append(el("svg:title", {}, [name, ...(agents.get(name) ? [...agents.get(name).directories, ...agents.get(name).files] : [])].join("\n")));
    svg.append(node);
  }
  svg.append(labels);
  const legend = el("div", { class: "legend" },
    el("span", {}, el("i", {}), "depends_on: runs after"),
    el("span", {}, el("i", { class: "c" }), "conflict, with a path both cover"),
    el("span", {}, el("i", { class: "h" }), "holds its lock now"));
  picture.replaceChildren(svg, legend);
}

// Time left counts down between updates; this only redraws labels, it asks the server nothing.
function tick() {
  if (!current) return;
  const elapsed = (Date.now() - receivedAt) / 1000;
  for (const cell of document.querySelectorAll("td.left[data-seconds]")) {
    if (cell.dataset.seconds === "") continue;
    cell.textContent = timeLeft(Math.max(0, Number(cell.dataset.seconds) - elapsed));
  }
}

function connect() {
  const live = $("live");
  const stream = new EventSource("/api/stream");
  stream.addEventListener("state", (message) => {
    live.textContent = "live";
    live.className = "live on";
    render(JSON.parse(message.data));
  });
  stream.onerror = () => {
    live.textContent = "reconnecting…";
    live.className = "live off";
  };
}

window.scopelockPage = { loadedAt: Date.now(), renders: () => document.body.dataset.renders };
fetch("/api/state", { cache: "no-store" }).then((response) => response.json()).then(render).catch(() => {}).finally(connect);
setInterval(tick, 1000);
