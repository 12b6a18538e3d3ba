// Polibase BI dashboard: fills the server-rendered page shell from the JSON API.
//
// Rules this file keeps:
// - Every string from the API is text. The DOM is built with createElement/textContent, and
//   chart tooltips (which ECharts inserts as HTML) go through escapeHtml.
// - The filter state lives in the page URL, so a copied link reproduces the view; the data
//   endpoints get the same parameters minus `lang`.
// - A panel never stays blank: it shows its data, a loading state, "no data", or the reason it
//   is unavailable. Charts always own an ECharts SVG, even when they only show a message.

const FILTER_KEYS = ["period", "from", "to", "type", "prefecture", "conference"];
const AUTO_REFRESH_KEY = "polibase-bi.auto-refresh-minutes";
const PREFECTURE_ROWS_COLLAPSED = 10;
const CONFERENCE_BARS_COLLAPSED = 10;
const FONT =
  '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", ' +
  '"Yu Gothic", Meiryo, sans-serif';

// Named colours: tooltips mark a series with a CSS class (sw-<name>) because the
// Content-Security-Policy forbids style attributes in the HTML that ECharts inserts.
const COLORS = {
  blue: "#3867d6",
  sky: "#7aa5f0",
  teal: "#0f9d8a",
  orange: "#e8871e",
  purple: "#8e5ccf",
  grey: "#c5ccd8",
  slate: "#6b778c",
  green: "#2b9348",
  yellow: "#e0a100",
  red: "#d64545",
};
const BAND_COLOR = { green: COLORS.green, yellow: COLORS.yellow, red: COLORS.red };
const TEXT_MUTED = "#6b778c";

const state = {
  lang: "ja",
  dict: {},
  tiles: [],
  params: new URLSearchParams(),
  data: null,
  requestSeq: 0,
  drillSeq: 0,
  drillCode: undefined,
  showAllPrefectures: false,
  showTop20Conferences: false,
  autoTimer: null,
  formats: null,
};

/* ---------- text and numbers ---------- */

/** Looks up a UI string and fills its {placeholders}. Unknown keys show as themselves. */
function t(key, vars = {}) {
  const text = state.dict[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** A translation when the dictionary has one for this data value, else the value itself. */
function tValue(prefix, value) {
  if (value === null || value === undefined) return t("unclassified");
  const key = `${prefix}${value}`;
  return key in state.dict ? state.dict[key] : String(value);
}

function buildFormats(lang) {
  const locale = lang === "en" ? "en-US" : "ja-JP";
  const utc = { timeZone: "UTC" };
  return {
    int: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }),
    one: new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    date: new Intl.DateTimeFormat(locale, { ...utc, dateStyle: "medium" }),
    shortDate: new Intl.DateTimeFormat(locale, { ...utc, month: "short", day: "numeric" }),
    month: new Intl.DateTimeFormat(locale, { ...utc, year: "numeric", month: "short" }),
    dateTime: new Intl.DateTimeFormat(locale, { ...utc, dateStyle: "medium", timeStyle: "medium" }),
  };
}

const isNum = (n) => typeof n === "number" && Number.isFinite(n);
const fmtInt = (n) => (isNum(n) ? state.formats.int.format(n) : "—");
const fmtOne = (n) => (isNum(n) ? state.formats.one.format(n) : "—");
const fmtRate = (r) => (isNum(r) ? `${state.formats.one.format(r)}%` : "—");

/** "2026-03-10" as a calendar date; it is already in the dashboard's time zone. */
function parseDate(text) {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(text ?? "");
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, m[3] ? +m[3] : 1)) : null;
}

const fmtDate = (text) => (parseDate(text) ? state.formats.date.format(parseDate(text)) : "—");
const fmtShortDate = (text) =>
  parseDate(text) ? state.formats.shortDate.format(parseDate(text)) : String(text);
const fmtMonth = (text) => (parseDate(text) ? state.formats.month.format(parseDate(text)) : "—");

/** Shows an RFC 3339 time at the wall-clock time it was written with (the dashboard's zone),
 *  not converted to the browser's zone, so every viewer reads the same "as of". */
function fmtDateTime(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(text ?? "");
  if (!m) return "—";
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0)));
  return state.formats.dateTime.format(date);
}

/** "▲ +1.3pt" / "▼ −0.4pt" / "± 0.0pt"; null when there is no earlier figure. */
function fmtChange(change) {
  if (!isNum(change)) return null;
  const arrow = change > 0 ? "▲" : change < 0 ? "▼" : "±";
  const sign = change > 0 ? "+" : change < 0 ? "−" : "";
  return `${arrow} ${sign}${state.formats.one.format(Math.abs(change))}${t("unit_pt")}`;
}

function escapeHtml(value) {
  const entities = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  return String(value).replace(/[&<>"']/g, (c) => entities[c]);
}

const bandLabel = (band) => t(band ? `band_${band}` : "band_none");
const sum = (values) => values.reduce((a, b) => a + (isNum(b) ? b : 0), 0);
const allZero = (values) => values.every((v) => !(isNum(v) && v > 0));

/** A conference label that stays unique: many assemblies have a conference called 本会議. */
function conferenceLabel(conference, body) {
  return t("conference_label", { conference, body: body ?? t("no_governing_body") });
}

function prefectureName(code, fallback) {
  if (code === null || code === undefined || code === "unknown") return t("unknown_prefecture");
  const tile = state.tiles.find((p) => p.code === code);
  if (!tile) return fallback ?? String(code);
  return state.lang === "en" ? tile.name_en : (fallback ?? tile.name_ja);
}

/* ---------- DOM helpers ---------- */

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** createElement with a class and text; children are appended in order. */
function el(tag, className, text, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  for (const child of children) node.append(child);
  return node;
}

/** Fills a <dl class="stats"> with label/value pairs; a pair may carry a band or a note. */
function fillStats(id, items) {
  const list = document.getElementById(id);
  list.replaceChildren();
  for (const item of items) {
    const classes = [
      "stat-value",
      item.band && `band-text-${item.band}`,
      item.small && "stat-value-small",
    ];
    const value = el("dd", classes.filter(Boolean).join(" "), item.value);
    const group = el("div", "stat", null, [el("dt", "stat-label", item.label), value]);
    if (item.note) group.append(el("dd", "stat-note", item.note));
    list.append(group);
  }
}

/** Replaces a table body; `columns` are functions of a row giving text, or
 *  {value, numeric} objects. An empty list shows a labelled empty row. */
function fillTable(id, rows, columns, decorate) {
  const body = $(`#${id} tbody`);
  body.replaceChildren();
  if (!rows || rows.length === 0) {
    body.append(messageRow(columns.length, t("empty")));
    return;
  }
  for (const row of rows) {
    const tr = el("tr");
    for (const column of columns) {
      const spec = typeof column === "function" ? { value: column } : column;
      tr.append(el("td", spec.numeric ? "num" : "", spec.value(row)));
    }
    if (decorate) decorate(tr, row);
    body.append(tr);
  }
}

function messageRow(span, text) {
  const td = el("td", "table-message", text);
  td.colSpan = span;
  return el("tr", "", null, [td]);
}

/* ---------- API ---------- */

class ApiError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

async function fetchJson(url, options = {}) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, ...options });
  } catch {
    throw new ApiError("network", t("network_error"), 0);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // A proxy error page is not JSON; the status still says what happened.
  }
  if (!response.ok) {
    const error = body?.error ?? {};
    throw new ApiError(
      error.code ?? `http_${response.status}`,
      error.message ?? "",
      response.status,
    );
  }
  return body;
}

/** "?period=7d&type=…" for the data endpoints (never `lang`), or "". */
function dataQuery(omit = []) {
  const params = new URLSearchParams(state.params);
  for (const key of omit) params.delete(key);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/* ---------- charts ---------- */

const charts = new Map();
const resizer = new ResizeObserver((entries) => {
  for (const entry of entries) charts.get(entry.target.dataset.chart)?.resize();
});

/** The ECharts instance of a container, created on first use with the SVG renderer. */
function chart(name) {
  let instance = charts.get(name);
  if (!instance) {
    const node = document.getElementById(`chart-${name}`);
    instance = window.echarts.init(node, null, { renderer: "svg" });
    charts.set(name, instance);
    resizer.observe(node);
  }
  return instance;
}

function chartNode(name) {
  return document.getElementById(`chart-${name}`);
}

function showChartLoading(name) {
  chart(name).showLoading("default", {
    text: t("loading"),
    color: COLORS.blue,
    textColor: TEXT_MUTED,
    maskColor: "rgba(255, 255, 255, 0.75)",
    fontSize: 13,
  });
  chartNode(name).dataset.state = "loading";
  chartNode(name).setAttribute("aria-busy", "true");
}

function setChart(name, option) {
  const instance = chart(name);
  instance.hideLoading();
  instance.setOption({ textStyle: { fontFamily: FONT }, animationDuration: 300, ...option }, true);
  chartNode(name).dataset.state = "ready";
  chartNode(name).removeAttribute("aria-busy");
  // Lets a benchmark read the time from navigation to the first drawn chart.
  if (performance.getEntriesByName("first-chart").length === 0) performance.mark("first-chart");
}

/** Replaces a chart by a centred message: "no data", or why the panel is unavailable. */
function showChartMessage(name, text, kind = "empty") {
  const instance = chart(name);
  instance.hideLoading();
  instance.setOption(
    {
      graphic: [
        {
          type: "text",
          left: "center",
          top: "middle",
          style: {
            text,
            fill: kind === "error" ? COLORS.red : TEXT_MUTED,
            fontSize: 14,
            fontFamily: FONT,
            width: Math.max(chartNode(name).clientWidth - 40, 120),
            overflow: "break",
            align: "center",
          },
        },
      ],
    },
    true,
  );
  chartNode(name).dataset.state = kind;
  chartNode(name).removeAttribute("aria-busy");
}

/** Tooltip HTML: every value passes through escapeHtml, colours go through classes. */
function tipHtml(title, rows) {
  const lines = rows.map((row) => {
    const swatch = row.color ? `<span class="tip-swatch sw-${row.color}"></span>` : "";
    return (
      `<div class="tip-row">${swatch}<span class="tip-label">${escapeHtml(row.label)}</span>` +
      `<span class="tip-value">${escapeHtml(row.value)}</span></div>`
    );
  });
  const head = `<div class="tip-title">${escapeHtml(title)}</div>`;
  return `<div class="tip">${head}${lines.join("")}</div>`;
}

function tooltip(formatter, trigger = "item") {
  return {
    trigger,
    confine: true,
    className: "chart-tip",
    backgroundColor: "#ffffff",
    borderColor: "#d5dbe5",
    padding: [6, 10],
    textStyle: { fontFamily: FONT, color: "#1f2a3d", fontSize: 12 },
    axisPointer: { type: "shadow" },
    formatter,
  };
}

const legend = (extra = {}) => ({
  bottom: 0,
  icon: "roundRect",
  itemWidth: 12,
  itemHeight: 8,
  textStyle: { fontFamily: FONT, color: "#3d4a5f" },
  ...extra,
});

const grid = (extra = {}) => ({
  left: 8,
  right: 16,
  top: 16,
  bottom: 36,
  containLabel: true,
  ...extra,
});

/** A donut of two or more parts with the headline rate in its hole. */
function donut(name, parts, centre, centreBand) {
  if (allZero(parts.map((p) => p.value))) return showChartMessage(name, t("empty"));
  const total = sum(parts.map((p) => p.value));
  setChart(name, {
    tooltip: tooltip((p) =>
      tipHtml(p.name, [
        { label: t("count"), value: fmtInt(p.value), color: parts[p.dataIndex].color },
        { label: t("share"), value: fmtRate((p.value / total) * 100) },
      ]),
    ),
    legend: legend(),
    series: [
      {
        type: "pie",
        radius: ["52%", "74%"],
        center: ["50%", "45%"],
        avoidLabelOverlap: true,
        label: { show: false },
        data: parts.map((p) => ({
          name: p.name,
          value: p.value,
          itemStyle: { color: COLORS[p.color] },
        })),
      },
    ],
    graphic: [
      {
        type: "text",
        left: "center",
        top: "38%",
        style: {
          text: centre,
          fontSize: 22,
          fontWeight: 600,
          fontFamily: FONT,
          fill: BAND_COLOR[centreBand] ?? "#1f2a3d",
        },
      },
    ],
  });
}

/** Category labels that all stay visible: wrapped within their slot, or slanted when the
 *  slots are too narrow for a word (a wrapped "Prefectural" would split mid-word). */
function categoryLabels(name, count) {
  const slot = Math.floor((chartNode(name).clientWidth - 60) / Math.max(count, 1)) - 6;
  if (slot >= 72) return { interval: 0, width: slot, overflow: "break", lineHeight: 14 };
  return { interval: 0, rotate: 30, width: 96, overflow: "truncate" };
}

/** Stacked bars of "with" / "without" per category, the rate in the tooltip. */
function stackedWithWithout(name, rows, labelOf, names) {
  if (!rows || allZero(rows.map((r) => r.total))) return showChartMessage(name, t("empty"));
  const categories = rows.map(labelOf);
  const withData = rows.map((r) => r.with_data);
  const without = rows.map((r) => Math.max((r.total ?? 0) - (r.with_data ?? 0), 0));
  setChart(name, {
    tooltip: tooltip((items) => {
      const row = rows[items[0].dataIndex];
      return tipHtml(categories[items[0].dataIndex], [
        { label: names[0], value: fmtInt(row.with_data), color: "blue" },
        { label: names[1], value: fmtInt(without[items[0].dataIndex]), color: "grey" },
        { label: t("rate"), value: fmtRate(row.rate) },
      ]);
    }, "axis"),
    legend: legend(),
    grid: grid({ top: 24 }),
    xAxis: {
      type: "category",
      data: categories,
      axisLabel: categoryLabels(name, categories.length),
    },
    yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: (v) => fmtInt(v) } },
    series: [
      {
        name: names[0],
        type: "bar",
        stack: "all",
        data: withData,
        itemStyle: { color: COLORS.blue },
      },
      {
        name: names[1],
        type: "bar",
        stack: "all",
        data: without,
        itemStyle: { color: COLORS.grey },
        // The rate sits on top of each stack, where the eye compares categories.
        label: {
          show: true,
          position: "top",
          color: TEXT_MUTED,
          formatter: (p) => fmtRate(rows[p.dataIndex].rate),
        },
      },
    ],
  });
}

/** A single-rate gauge coloured by band; null rates show the empty state, not 0 %. */
function gauge(name, rate, band) {
  if (!isNum(rate)) return showChartMessage(name, t("empty"));
  const color = BAND_COLOR[band] ?? COLORS.blue;
  setChart(name, {
    series: [
      {
        type: "gauge",
        min: 0,
        max: 100,
        startAngle: 210,
        endAngle: -30,
        radius: "92%",
        center: ["50%", "58%"],
        progress: { show: true, width: 16, itemStyle: { color } },
        axisLine: { lineStyle: { width: 16, color: [[1, "#e7ebf2"]] } },
        pointer: { show: false },
        axisTick: { show: false },
        splitLine: { length: 6, distance: 4, lineStyle: { color: "#aab3c2" } },
        axisLabel: { distance: 22, color: TEXT_MUTED, fontSize: 11 },
        anchor: { show: false },
        title: { show: true, offsetCenter: [0, "32%"], color: TEXT_MUTED, fontSize: 12 },
        detail: {
          valueAnimation: false,
          offsetCenter: [0, "0%"],
          fontSize: 26,
          fontWeight: 600,
          color,
          formatter: () => fmtRate(rate),
        },
        // Only rates with a band in the metric catalogue get a rating under the number.
        data: [{ value: rate, name: band === null ? "" : bandLabel(band) }],
      },
    ],
  });
}

/* ---------- panel states ---------- */

/** Why a section is missing, from the `panels` entry that names it (or one of its parts). */
function unavailableText(panels, ...ids) {
  const entry = ids.map((id) => panels?.[id]).find(Boolean);
  if (!entry) return t("panel_unavailable");
  const code = `${entry.code ?? ""} ${entry.status ?? ""}`.toLowerCase();
  let key = "panel_error";
  if (code.includes("timeout") || code.includes("timed_out")) key = "panel_timeout";
  else if (/forbidden|permission|privilege|denied/.test(code)) key = "panel_forbidden";
  else if (code.includes("column")) key = "panel_missing_column";
  else if (code.includes("table")) key = "panel_missing_table";
  return entry.message ? `${t(key)}: ${entry.message}` : t(key);
}

/** Puts a message in every chart, table and figure list of a panel or section. */
function showUnavailable(root, text) {
  // Nothing to download: the export would only repeat the reason.
  for (const link of $$("[data-export]", root)) link.hidden = true;
  for (const node of $$("[data-chart]", root)) showChartMessage(node.dataset.chart, text, "error");
  for (const body of $$("tbody", root)) {
    const span = $$("thead th", body.parentElement).length || 1;
    body.replaceChildren(messageRow(span, text));
  }
  for (const list of $$("dl.stats", root)) list.replaceChildren(el("div", "stat-message", text));
  // A panel with nothing else to put the reason in says it in its own message line.
  const note = $("[data-panel-message]", root);
  if (note && root.dataset.panel && !$("[data-chart], tbody, dl.stats", root)) {
    note.textContent = text;
    note.hidden = false;
  }
}

/** Renders one panel, isolating failures so the rest of the page still renders. */
function panel(name, value, render, unavailable) {
  const root = $(`[data-panel="${name}"]`);
  const note = $("[data-panel-message]", root);
  if (note) note.hidden = true;
  root.classList.remove("is-loading");
  if (value === null || value === undefined) return showUnavailable(root, unavailable());
  for (const link of $$("[data-export]", root)) link.hidden = false;
  try {
    render(value);
  } catch (error) {
    console.error(`panel ${name} failed to render`, error);
    showUnavailable(root, t("panel_error"));
  }
}

/** Renders a section, or its "unavailable" message when the API sent null for it. */
function section(name, doc, render) {
  const root = $(`[data-section="${name}"]`);
  const message = $("[data-section-message]", root);
  const value = doc[name];
  $$(".panel", root).forEach((p) => p.classList.remove("is-loading"));
  if (value === null || value === undefined) {
    const text = unavailableText(doc.panels, name);
    message.textContent = `${t(`sec_${name}`)} — ${text}`;
    message.hidden = false;
    showUnavailable(root, text);
    return;
  }
  message.hidden = true;
  for (const link of $$("[data-export]", root)) link.hidden = false;
  render(
    value,
    (sub, ...ids) =>
      () =>
        unavailableText(doc.panels, `${name}.${sub}`, sub, ...ids),
  );
}

function setLoading(loading) {
  document.body.classList.toggle("is-loading", loading);
  $("#cards").setAttribute("aria-busy", String(loading));
  for (const root of $$(".panel")) {
    root.dataset.loadingText = t("loading");
    root.classList.toggle("is-loading", loading && !root.hidden);
  }
  if (loading) for (const name of charts.keys()) showChartLoading(name);
}

/* ---------- header, scope notes and cards ---------- */

function renderHeader(doc) {
  $("#as-of").textContent = t("as_of", { time: fmtDateTime(doc.as_of) });
  $("#as-of").dateTime = doc.as_of ?? "";
  $("#demo-badge").hidden = !doc.demo;
  document.body.dataset.demo = String(Boolean(doc.demo));
}

/** Lists, per section, the active filters that do not narrow it. */
function renderScopeNotes() {
  const active = [];
  const period = $("#f-period");
  active.push({ key: "period", text: t("scope_period_only", { period: selectedText(period) }) });
  for (const [key, label] of [
    ["type", "body_type"],
    ["prefecture", "prefecture"],
    ["conference", "conference"],
  ]) {
    if (state.params.get(key)) {
      active.push({
        key,
        text: t("scope_filter_value", { name: t(label), value: selectedText($(`#f-${key}`)) }),
      });
    }
  }
  for (const root of $$("[data-section]")) {
    const applies = (root.dataset.applies ?? "").split(" ");
    const skipped = active.filter((f) => !applies.includes(f.key)).map((f) => f.text);
    const note = $("[data-scope-note]", root);
    note.textContent = skipped.length
      ? t("scope_not_applied", { filters: skipped.join("、") })
      : "";
    note.hidden = skipped.length === 0;
  }
}

/** The chosen option's label; for a value the list does not offer (a bad URL), the value. */
function selectedText(select) {
  const key = select.id.replace(/^f-/, "");
  return select.selectedOptions[0]?.textContent || select.value || state.params.get(key) || "—";
}

// Lower is better for these cards: a rise is shown as a deterioration.
const LOWER_IS_BETTER = new Set(["llm_error_rate"]);

function card({ id, title, value, detail, band, change }) {
  const node = el("article", `card band-${band ?? "none"}`);
  node.dataset.card = id;
  node.append(el("h3", "card-title", title), el("p", "card-value", value));
  node.append(el("p", "card-detail", detail ?? "\u00a0"));
  const foot = el("p", "card-foot");
  if (change !== undefined) {
    const text = fmtChange(change);
    const better = LOWER_IS_BETTER.has(id) ? change < 0 : change > 0;
    const tone = !isNum(change) || change === 0 ? "flat" : better ? "up" : "down";
    foot.append(
      el(
        "span",
        `change change-${tone}`,
        text ? t("card_change", { change: text }) : t("card_change_none"),
      ),
    );
  }
  if (band !== undefined)
    foot.append(el("span", `band-pill band-pill-${band ?? "none"}`, bandLabel(band)));
  node.append(foot);
  return node;
}

function renderCards(doc) {
  const container = $("#cards");
  container.replaceChildren();
  container.dataset.state = "ready";
  const root = $("#section-cards");
  $("[data-panel-message]", root).hidden = true;
  if (!doc.cards && !doc.coverage) {
    container.dataset.state = "error";
    container.append(el("p", "stat-message", unavailableText(doc.panels, "cards")));
    return;
  }
  for (const c of doc.cards ?? []) {
    container.append(
      card({
        id: c.id,
        title: t(`card_${c.id}`),
        value: fmtRate(c.rate),
        detail: t("card_of", {
          numerator: fmtInt(c.numerator),
          denominator: fmtInt(c.denominator),
        }),
        band: c.band,
        change: c.change_7d ?? null,
      }),
    );
  }
  const cov = doc.coverage;
  if (!cov) return;
  container.append(
    card({ id: "total_bodies", title: t("card_total_bodies"), value: fmtInt(cov.total_bodies) }),
    card({
      id: "bodies_with_data",
      title: t("card_bodies_with_data"),
      value: fmtInt(cov.bodies_with_data),
      detail: t("card_of", {
        numerator: fmtInt(cov.bodies_with_data),
        denominator: fmtInt(cov.total_bodies),
      }),
    }),
    card({
      id: "coverage_rate",
      title: t("card_coverage_rate"),
      value: fmtRate(cov.rate),
      band: cov.band,
    }),
  );
}

/* ---------- 自治体カバレッジ ---------- */

function renderCoverage(cov, missing) {
  panel(
    "coverage-donut",
    cov,
    () => {
      const without = Math.max((cov.total_bodies ?? 0) - (cov.bodies_with_data ?? 0), 0);
      donut(
        "coverage-donut",
        [
          { name: t("with_data"), value: cov.bodies_with_data ?? 0, color: "blue" },
          { name: t("without_data"), value: without, color: "grey" },
        ],
        fmtRate(cov.rate),
        cov.band,
      );
      fillStats("stats-coverage", [
        { label: t("card_total_bodies"), value: fmtInt(cov.total_bodies) },
        { label: t("with_data"), value: fmtInt(cov.bodies_with_data) },
        {
          label: t("bodies_with_conferences"),
          value: fmtInt(cov.bodies_with_conferences),
          note: fmtRate(cov.conference_rate),
        },
      ]);
    },
    missing("total_bodies"),
  );
  panel(
    "coverage-by-type",
    cov.by_type,
    (rows) =>
      stackedWithWithout("coverage-by-type", rows, (r) => tValue("type_", r.type), [
        t("with_data"),
        t("without_data"),
      ]),
    missing("by_type"),
  );
  panel(
    "coverage-by-org-type",
    cov.by_organization_type,
    (rows) =>
      stackedWithWithout("coverage-by-org-type", rows, (r) => tValue("org_", r.type), [
        t("with_data"),
        t("without_data"),
      ]),
    missing("by_organization_type"),
  );
  panel("prefecture-map", cov.prefectures, renderPrefectureMap, missing("prefectures"));
  panel("prefecture-table", cov.prefectures, renderPrefectureTable, missing("prefectures"));
}

function renderPrefectureTable(rows) {
  const shown = state.showAllPrefectures ? rows : rows.slice(0, PREFECTURE_ROWS_COLLAPSED);
  fillTable(
    "table-prefectures",
    shown,
    [
      (r) => prefectureName(r.code, r.prefecture),
      { value: (r) => fmtInt(r.total), numeric: true },
      { value: (r) => fmtInt(r.with_data), numeric: true },
      { value: (r) => fmtRate(r.rate), numeric: true },
      (r) => bandLabel(r.band),
    ],
    (tr, r) => {
      tr.className = `row-band-${r.band ?? "none"}`;
      // Municipalities without a prefecture have no drill-down endpoint.
      if (!r.code) return;
      tr.classList.add("row-clickable");
      tr.tabIndex = 0;
      tr.addEventListener("click", () =>
        openDrilldown(r.code, prefectureName(r.code, r.prefecture)),
      );
      tr.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          openDrilldown(r.code, prefectureName(r.code, r.prefecture));
        }
      });
    },
  );
  const toggle = $("#toggle-prefectures");
  toggle.hidden = rows.length <= PREFECTURE_ROWS_COLLAPSED;
  toggle.textContent = state.showAllPrefectures
    ? t("show_top10")
    : t("show_all", { count: fmtInt(rows.length) });
  toggle.setAttribute("aria-expanded", String(state.showAllPrefectures));
}

/** The 47 prefectures as equal tiles on a grid, coloured by their municipal coverage band. */
function renderPrefectureMap(rows) {
  const byCode = new Map(rows.filter((r) => r.code).map((r) => [r.code, r]));
  if (state.tiles.length === 0 || byCode.size === 0)
    return showChartMessage("prefecture-map", t("empty"));
  const data = state.tiles.map((tile) => {
    const row = byCode.get(tile.code);
    return { value: [tile.col, tile.row], tile, row };
  });
  const labelOf = (tile) => (state.lang === "en" ? tile.name_en : tile.short_ja);
  setChart("prefecture-map", {
    tooltip: tooltip((p) => {
      const { tile, row } = p.data;
      if (!row)
        return tipHtml(prefectureName(tile.code), [
          { label: t("map_no_municipalities"), value: "" },
        ]);
      return tipHtml(prefectureName(tile.code, row.prefecture), [
        { label: t("col_total"), value: fmtInt(row.total) },
        { label: t("col_with_data"), value: fmtInt(row.with_data) },
        { label: t("col_rate"), value: fmtRate(row.rate), color: row.band ?? "grey" },
        { label: t("col_band"), value: bandLabel(row.band) },
      ]);
    }),
    grid: { left: 4, right: 4, top: 4, bottom: 4 },
    xAxis: { type: "category", data: range(13), show: false },
    yAxis: { type: "category", data: range(12), show: false, inverse: true },
    series: [
      {
        type: "custom",
        data,
        renderItem: (params, api) => tileShape(api, data[params.dataIndex], labelOf),
      },
    ],
  });
  const instance = chart("prefecture-map");
  instance.off("click");
  instance.on("click", (p) => {
    const { tile, row } = p.data;
    setFilter("prefecture", tile.code);
    openDrilldown(tile.code, prefectureName(tile.code, row?.prefecture));
  });
}

const range = (n) => Array.from({ length: n }, (_, i) => String(i));

function tileShape(api, item, labelOf) {
  const [x, y] = api.coord([String(item.value[0]), String(item.value[1])]);
  const [w, h] = api.size([1, 1]);
  const side = Math.min(w, h) - 3;
  const band = item.row?.band;
  const fill = item.row ? (BAND_COLOR[band] ?? "#9aa5b5") : "#e4e8ef";
  const selected = state.params.get("prefecture") === item.tile.code;
  return {
    type: "group",
    children: [
      {
        type: "rect",
        shape: { x: x - side / 2, y: y - side / 2, width: side, height: side, r: 4 },
        style: { fill, stroke: selected ? "#1f2a3d" : "#ffffff", lineWidth: selected ? 3 : 1 },
      },
      {
        type: "text",
        style: {
          text: labelOf(item.tile),
          x,
          y,
          align: "center",
          verticalAlign: "middle",
          fill: item.row && band !== "yellow" ? "#ffffff" : "#1f2a3d",
          // Romanised names are longer than the Japanese short names: a smaller size fits them.
          fontSize: Math.max(Math.min(side / (state.lang === "en" ? 6.2 : 3.4), 14), 7),
          fontFamily: FONT,
          width: side - 2,
          overflow: "truncate",
        },
      },
    ],
  };
}

/* ---------- drill-down: municipalities of one prefecture ---------- */

async function openDrilldown(code, name) {
  const root = $("#drilldown");
  const seq = ++state.drillSeq;
  state.drillCode = code ?? "unknown";
  root.hidden = false;
  $("#drilldown-title").textContent = t("drilldown", { name });
  $("#drilldown-filter").hidden = state.params.get("prefecture") === state.drillCode;
  $("[data-panel-message]", root).hidden = true;
  const body = $("#table-municipalities tbody");
  body.replaceChildren(messageRow(6, t("loading")));
  root.scrollIntoView({ behavior: "smooth", block: "nearest" });

  // The path names the prefecture; passing it in the query too would repeat the filter.
  const path = `/api/v1/prefectures/${encodeURIComponent(state.drillCode)}/municipalities`;
  const url = `${path}${dataQuery(["prefecture"])}`;
  try {
    const doc = await fetchJson(url);
    if (seq !== state.drillSeq) return;
    fillTable(
      "table-municipalities",
      doc.municipalities,
      [
        (m) => m.name,
        (m) => tValue("org_", m.organization_type),
        (m) => (m.has_data ? t("yes") : t("no")),
        { value: (m) => fmtInt(m.conferences), numeric: true },
        { value: (m) => fmtInt(m.meetings), numeric: true },
        (m) => (m.latest_meeting ? fmtDate(m.latest_meeting) : "—"),
      ],
      (tr, m) => tr.classList.add(m.has_data ? "row-has-data" : "row-no-data"),
    );
  } catch (error) {
    if (seq !== state.drillSeq) return;
    body.replaceChildren(messageRow(6, failureText(error)));
  }
}

function closeDrilldown() {
  state.drillSeq += 1;
  state.drillCode = undefined;
  $("#drilldown").hidden = true;
}

/* ---------- 会議カバレッジ ---------- */

function renderMeetings(m, missing) {
  panel(
    "minutes-donut",
    m,
    () => {
      const without = Math.max((m.total ?? 0) - (m.with_minutes ?? 0), 0);
      donut(
        "minutes-donut",
        [
          { name: t("with_minutes"), value: m.with_minutes ?? 0, color: "blue" },
          { name: t("without_minutes"), value: without, color: "grey" },
        ],
        fmtRate(m.rate),
      );
      fillStats("stats-meetings", [
        { label: t("meetings_total"), value: fmtInt(m.total) },
        { label: t("with_minutes"), value: fmtInt(m.with_minutes) },
        { label: t("rate"), value: fmtRate(m.rate) },
      ]);
    },
    missing("total"),
  );
  panel(
    "meetings-by-conference",
    m.by_conference,
    (rows) => renderByConference(rows, m.conference_count),
    missing("by_conference"),
  );
  panel("minutes-processing", m.minutes, renderMinutesProcessing, missing("minutes"));
  panel(
    "processed-per-day",
    m.processed_per_day,
    renderProcessedPerDay,
    missing("processed_per_day"),
  );
  panel(
    "without-minutes",
    m.without_minutes,
    (w) =>
      fillStats("stats-without-minutes", [
        { label: t("count"), value: fmtInt(w.count) },
        {
          label: t("share_of_meetings"),
          value: fmtRate(w.rate),
          band: w.band,
          note: bandLabel(w.band),
        },
      ]),
    missing("without_minutes"),
  );
}

function renderByConference(rows, conferenceCount) {
  const drawn = rows.filter((r) => isNum(r.meetings) && r.meetings > 0);
  const shown = drawn.slice(0, state.showTop20Conferences ? 20 : CONFERENCE_BARS_COLLAPSED);
  const toggle = $("#toggle-conferences");
  toggle.hidden = drawn.length <= CONFERENCE_BARS_COLLAPSED;
  toggle.textContent = state.showTop20Conferences ? t("show_top10") : t("show_top20");
  toggle.setAttribute("aria-expanded", String(state.showTop20Conferences));
  $("#by-conference-caption").textContent = t("by_conference_caption", {
    shown: fmtInt(shown.length),
    total: fmtInt(conferenceCount),
  });
  if (shown.length === 0) return showChartMessage("meetings-by-conference", t("empty"));

  const labels = shown.map((r) => conferenceLabel(r.conference, r.governing_body));
  setChart("meetings-by-conference", {
    tooltip: tooltip((p) =>
      tipHtml(labels[p.dataIndex], [
        { label: t("meetings"), value: fmtInt(p.value), color: "blue" },
      ]),
    ),
    // Labels get a fixed column: containLabel under-measures truncated CJK text.
    grid: grid({ bottom: 8, right: 48, left: 252, containLabel: false }),
    xAxis: { type: "value", minInterval: 1, axisLabel: { formatter: (v) => fmtInt(v) } },
    yAxis: {
      type: "category",
      inverse: true,
      data: labels,
      axisLabel: { width: 240, overflow: "truncate", interval: 0 },
    },
    series: [
      {
        type: "bar",
        data: shown.map((r) => r.meetings),
        itemStyle: { color: COLORS.blue },
        barMaxWidth: 22,
        label: {
          show: true,
          position: "right",
          formatter: (p) => fmtInt(p.value),
          color: TEXT_MUTED,
        },
      },
    ],
  });
}

function unprocessedBand(count) {
  if (!isNum(count)) return null;
  return count <= 100 ? "green" : count < 500 ? "yellow" : "red";
}

function renderMinutesProcessing(minutes) {
  fillStats("stats-minutes", [
    { label: t("minutes_total"), value: fmtInt(minutes.total) },
    {
      label: t("processed"),
      value: fmtInt(minutes.processed),
      note: fmtRate(minutes.rate),
      band: minutes.band,
    },
    {
      label: t("unprocessed"),
      value: fmtInt(minutes.unprocessed),
      band: unprocessedBand(minutes.unprocessed),
    },
    { label: t("oldest_unprocessed"), value: fmtDateTime(minutes.oldest_unprocessed), small: true },
    { label: t("newest_unprocessed"), value: fmtDateTime(minutes.newest_unprocessed), small: true },
  ]);
}

/** Daily bars; a day with nothing processed gets a red marker so it is not mistaken for a gap. */
function renderProcessedPerDay(days) {
  const counts = days.map((d) => d.count);
  if (days.length === 0 || allZero(counts))
    return showChartMessage("processed-per-day", t("empty"));
  const labels = days.map((d) => fmtShortDate(d.date));
  setChart("processed-per-day", {
    tooltip: tooltip((items) => {
      const day = days[items[0].dataIndex];
      const label = day.count === 0 ? t("no_processing_day") : t("processed");
      return tipHtml(fmtDate(day.date), [
        { label, value: fmtInt(day.count), color: day.count ? "blue" : "red" },
      ]);
    }, "axis"),
    legend: legend(),
    grid: grid(),
    xAxis: { type: "category", data: labels, axisLabel: { hideOverlap: true } },
    yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: (v) => fmtInt(v) } },
    series: [
      {
        name: t("processed"),
        type: "bar",
        data: counts,
        itemStyle: { color: COLORS.blue },
        barMaxWidth: 18,
      },
      {
        name: t("no_processing_day"),
        type: "scatter",
        symbol: "triangle",
        symbolSize: 9,
        symbolOffset: [0, -6],
        data: counts.map((c) => (c === 0 ? 0 : null)),
        itemStyle: { color: COLORS.red },
        tooltip: { show: false },
      },
    ],
  });
}

/* ---------- 発言者の紐付け ---------- */

function renderSpeakers(s, missing) {
  panel("speakers-gauge", s, () => gauge("speakers-gauge", s.rate, s.band), missing("rate"));
  panel(
    "conversations-gauge",
    s,
    () => gauge("conversations-gauge", s.conversation_rate, null),
    missing("conversation_rate"),
  );
  panel("linked-bars", s, () => renderLinkedBars(s), missing("linked"));
  panel(
    "politician-speakers",
    s.politician_speakers,
    (p) =>
      fillStats("stats-politicians", [
        { label: t("rate"), value: fmtRate(p.rate), band: p.band, note: bandLabel(p.band) },
        {
          label: t("linked"),
          value: fmtInt(p.linked),
          note: t("politician_speakers_of", { linked: fmtInt(p.linked), total: fmtInt(p.total) }),
        },
      ]),
    missing("politician_speakers"),
  );
  panel(
    "without-speaker",
    s.without_speaker,
    (w) =>
      fillStats("stats-without-speaker", [
        { label: t("count"), value: fmtInt(w.count) },
        {
          label: t("share_of_conversations"),
          value: fmtRate(w.rate),
          band: w.band,
          note: bandLabel(w.band),
        },
      ]),
    missing("without_speaker"),
  );
  panel("per-meeting", s.per_meeting, renderPerMeeting, missing("per_meeting"));
  panel(
    "per-meeting-worst",
    s.per_meeting?.worst,
    renderWorstMeetings,
    missing("per_meeting", "worst"),
  );
}

/** Speakers and conversations differ by orders of magnitude, so both bars are drawn as
 *  shares of 100 % with the counts in labels and tooltips. */
function renderLinkedBars(s) {
  const rows = [
    { label: t("speakers"), linked: s.linked ?? 0, total: s.total ?? 0 },
    {
      label: t("conversations"),
      linked: s.conversations_with_speaker ?? 0,
      total: s.conversations ?? 0,
    },
  ];
  if (allZero(rows.map((r) => r.total))) return showChartMessage("linked-bars", t("empty"));
  const share = (part, total) => (total > 0 ? (part / total) * 100 : 0);
  const linked = rows.map((r) => share(r.linked, r.total));
  const unlinked = rows.map((r) => (r.total > 0 ? 100 - share(r.linked, r.total) : 0));
  setChart("linked-bars", {
    tooltip: tooltip((items) => {
      const row = rows[items[0].dataIndex];
      return tipHtml(row.label, [
        { label: t("linked"), value: fmtInt(row.linked), color: "blue" },
        { label: t("unlinked"), value: fmtInt(row.total - row.linked), color: "grey" },
        { label: t("rate"), value: row.total > 0 ? fmtRate(share(row.linked, row.total)) : "—" },
      ]);
    }, "axis"),
    legend: legend(),
    grid: grid({ right: 24 }),
    xAxis: { type: "value", max: 100, axisLabel: { formatter: (v) => `${v}%` } },
    yAxis: { type: "category", data: rows.map((r) => r.label), inverse: true },
    series: [
      {
        name: t("linked"),
        type: "bar",
        stack: "s",
        data: linked,
        itemStyle: { color: COLORS.blue },
        barMaxWidth: 28,
      },
      {
        name: t("unlinked"),
        type: "bar",
        stack: "s",
        data: unlinked,
        itemStyle: { color: COLORS.grey },
      },
    ],
  });
}

function renderPerMeeting(pm) {
  $("#per-meeting-caption").textContent = t("per_meeting_meetings", { count: fmtInt(pm.meetings) });
  const summary = pm.summary ?? {};
  fillStats("stats-per-meeting", [
    { label: t("summary_mean"), value: fmtRate(summary.mean) },
    { label: t("summary_median"), value: fmtRate(summary.median) },
    { label: t("summary_min"), value: fmtRate(summary.min) },
    { label: t("summary_max"), value: fmtRate(summary.max) },
    { label: t("summary_full"), value: fmtInt(summary.full) },
    { label: t("summary_at_least_80"), value: fmtInt(summary.at_least_80) },
  ]);
  const bins = pm.histogram ?? [];
  if (bins.length === 0 || allZero(bins.map((b) => b.meetings))) {
    return showChartMessage("per-meeting-histogram", t("empty"));
  }
  const labels = bins.map((b) => t("bin_label", { from: b.from, to: b.to }));
  setChart("per-meeting-histogram", {
    tooltip: tooltip((p) =>
      tipHtml(labels[p.dataIndex], [
        { label: t("meetings"), value: fmtInt(p.value), color: "teal" },
      ]),
    ),
    grid: grid({ bottom: 8 }),
    xAxis: {
      type: "category",
      data: labels,
      name: t("per_meeting_axis"),
      nameLocation: "middle",
      nameGap: 28,
      axisLabel: { hideOverlap: true },
    },
    yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: (v) => fmtInt(v) } },
    series: [
      {
        type: "bar",
        data: bins.map((b) => b.meetings),
        itemStyle: { color: COLORS.teal },
        barCategoryGap: "8%",
      },
    ],
  });
}

function renderWorstMeetings(rows) {
  fillTable("table-worst", rows.slice(0, 20), [
    (r) => fmtDate(r.date),
    (r) => r.conference,
    (r) => r.governing_body ?? t("no_governing_body"),
    { value: (r) => fmtRate(r.rate), numeric: true },
    { value: (r) => fmtInt(r.conversations), numeric: true },
  ]);
}

/* ---------- 活動推移 ---------- */

function renderActivity(a, missing, doc) {
  const period = doc.period;
  $("#activity-period").textContent = period
    ? t("period_range", {
        from: fmtDate(period.from),
        to: fmtDate(period.to),
        days: fmtInt(period.days),
      })
    : "";
  panel("activity-daily", a.days, renderDaily, missing("days"));
  panel("activity-heatmap", a.heatmap, renderHeatmap, missing("heatmap"));
  panel("activity-by-month", a.by_month, renderByMonth, missing("by_month"));
  panel("activity-by-year", a.by_year, renderByYear, missing("by_year"));
  panel(
    "parties",
    a.parties,
    (rows) =>
      fillTable("table-parties", rows, [
        (r) => r.party ?? t("no_party"),
        { value: (r) => fmtInt(r.conversations), numeric: true },
        { value: (r) => fmtInt(r.politicians), numeric: true },
        { value: (r) => fmtOne(r.per_politician), numeric: true },
      ]),
    missing("parties"),
  );
  panel(
    "top-conferences",
    a.top_conferences,
    (rows) =>
      fillTable("table-top-conferences", rows.slice(0, 20), [
        (r) => r.conference,
        (r) => r.governing_body ?? t("no_governing_body"),
        { value: (r) => fmtInt(r.conversations), numeric: true },
        { value: (r) => fmtInt(r.meetings), numeric: true },
        { value: (r) => fmtOne(r.per_meeting), numeric: true },
      ]),
    missing("top_conferences"),
  );
  panel(
    "by-body-type",
    a.by_body_type,
    (rows) =>
      fillTable("table-body-types", rows, [
        (r) => tValue("type_", r.type),
        { value: (r) => fmtInt(r.bodies), numeric: true },
        { value: (r) => fmtInt(r.conferences), numeric: true },
        { value: (r) => fmtInt(r.meetings), numeric: true },
        { value: (r) => fmtInt(r.minutes), numeric: true },
        { value: (r) => fmtInt(r.conversations), numeric: true },
        { value: (r) => fmtOne(r.meetings_per_body), numeric: true },
      ]),
    missing("by_body_type"),
  );
}

const DAILY_SERIES = [
  { key: "meetings", label: "series_meetings", color: "blue", axis: 0 },
  { key: "conversations", label: "series_conversations", color: "orange", axis: 1 },
  { key: "speakers", label: "series_speakers", color: "teal", axis: 0 },
  { key: "politicians", label: "series_politicians", color: "purple", axis: 0 },
];

/** Conversations run in the thousands per day, so they get their own (right) axis. */
function renderDaily(days) {
  const values = days.flatMap((d) => DAILY_SERIES.map((s) => d[s.key]));
  if (days.length === 0 || allZero(values)) return showChartMessage("activity-daily", t("empty"));
  setChart("activity-daily", {
    tooltip: tooltip((items) => {
      const day = days[items[0].dataIndex];
      return tipHtml(
        fmtDate(day.date),
        DAILY_SERIES.map((s) => ({ label: t(s.label), value: fmtInt(day[s.key]), color: s.color })),
      );
    }, "axis"),
    legend: legend(),
    grid: grid({ bottom: 40, top: 36 }),
    xAxis: {
      type: "category",
      data: days.map((d) => fmtShortDate(d.date)),
      boundaryGap: false,
      axisLabel: { hideOverlap: true },
    },
    yAxis: [
      {
        type: "value",
        minInterval: 1,
        name: t("axis_count"),
        axisLabel: { formatter: (v) => fmtInt(v) },
      },
      {
        type: "value",
        minInterval: 1,
        name: t("axis_conversations"),
        splitLine: { show: false },
        axisLabel: { formatter: (v) => fmtInt(v) },
      },
    ],
    series: DAILY_SERIES.map((s) => ({
      name: t(s.label),
      type: "line",
      yAxisIndex: s.axis,
      data: days.map((d) => d[s.key] ?? 0),
      showSymbol: days.length <= 31,
      symbolSize: 5,
      lineStyle: { width: 2 },
      itemStyle: { color: COLORS[s.color] },
    })),
  });
}

/** Weekday (Monday first, ISO) × ISO week; weeks with no cell stay empty, not zero. */
function renderHeatmap(heatmap) {
  const weeks = heatmap.weeks ?? [];
  const cells = heatmap.cells ?? [];
  if (weeks.length === 0 || allZero(cells.map((c) => c.conversations))) {
    return showChartMessage("activity-heatmap", t("empty"));
  }
  const weekIndex = new Map(weeks.map((w, i) => [w, i]));
  const data = cells
    .filter((c) => weekIndex.has(c.week) && c.weekday >= 1 && c.weekday <= 7)
    .map((c) => [weekIndex.get(c.week), c.weekday - 1, c.conversations ?? 0]);
  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((d) => t(`weekday_${d}`));
  const max = Math.max(1, ...data.map((d) => d[2]));
  setChart("activity-heatmap", {
    tooltip: tooltip((p) =>
      tipHtml(weeks[p.value[0]], [
        { label: weekdays[p.value[1]], value: fmtInt(p.value[2]), color: "blue" },
      ]),
    ),
    grid: grid({ bottom: 56, top: 8 }),
    xAxis: {
      type: "category",
      data: weeks,
      splitArea: { show: true },
      axisLabel: { hideOverlap: true },
    },
    yAxis: { type: "category", data: weekdays, inverse: true, splitArea: { show: true } },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 140,
      itemWidth: 10,
      text: [fmtInt(max), "0"],
      formatter: (v) => fmtInt(v),
      inRange: { color: ["#eef3fc", "#9bb8ee", COLORS.blue, "#1c3d8f"] },
      textStyle: { color: TEXT_MUTED },
    },
    series: [{ type: "heatmap", data, itemStyle: { borderColor: "#ffffff", borderWidth: 1 } }],
  });
}

/** The last 12 months are a separate, darker series so the emphasis shows in the legend. */
function renderByMonth(months) {
  if (months.length === 0 || allZero(months.map((m) => m.meetings))) {
    return showChartMessage("activity-by-month", t("empty"));
  }
  const recent = months.map((m) => (m.recent ? m.meetings : null));
  const older = months.map((m) => (m.recent ? null : m.meetings));
  setChart("activity-by-month", {
    tooltip: tooltip((items) => {
      const month = months[items[0].dataIndex];
      return tipHtml(fmtMonth(month.month), [
        {
          label: t("meetings"),
          value: fmtInt(month.meetings),
          color: month.recent ? "blue" : "sky",
        },
      ]);
    }, "axis"),
    legend: legend(),
    grid: grid(),
    xAxis: {
      type: "category",
      data: months.map((m) => fmtMonth(m.month)),
      axisLabel: { hideOverlap: true },
    },
    yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: (v) => fmtInt(v) } },
    series: [
      {
        name: t("by_month_recent"),
        type: "bar",
        stack: "m",
        data: recent,
        itemStyle: { color: COLORS.blue },
      },
      {
        name: t("by_month_older"),
        type: "bar",
        stack: "m",
        data: older,
        itemStyle: { color: COLORS.sky },
      },
    ],
  });
}

function renderByYear(years) {
  if (years.length === 0 || allZero(years.map((y) => y.meetings))) {
    return showChartMessage("activity-by-year", t("empty"));
  }
  const labels = years.map((y) => t("year_label", { year: y.year }));
  setChart("activity-by-year", {
    tooltip: tooltip((p) =>
      tipHtml(labels[p.dataIndex], [
        { label: t("meetings"), value: fmtInt(p.value), color: "blue" },
      ]),
    ),
    grid: grid({ bottom: 8 }),
    xAxis: { type: "category", data: labels, axisLabel: { hideOverlap: true } },
    yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: (v) => fmtInt(v) } },
    series: [
      {
        type: "bar",
        data: years.map((y) => y.meetings),
        itemStyle: { color: COLORS.blue },
        barMaxWidth: 36,
      },
    ],
  });
}

/* ---------- 処理品質 ---------- */

function renderProcessing(p, missing) {
  panel("llm-status", p.llm, renderLlmStatus, missing("llm"));
  panel("llm-by-type", p.llm?.by_type, renderLlmByType, missing("llm", "by_type"));
}

function renderLlmStatus(llm) {
  donut(
    "llm-status",
    [
      { name: t("status_completed"), value: llm.completed ?? 0, color: "green" },
      { name: t("status_failed"), value: llm.failed ?? 0, color: "red" },
      { name: t("status_in_progress"), value: llm.in_progress ?? 0, color: "blue" },
      { name: t("status_pending"), value: llm.pending ?? 0, color: "grey" },
    ],
    fmtInt(llm.total),
  );
  fillStats("stats-llm", [
    { label: t("llm_total"), value: fmtInt(llm.total) },
    {
      label: t("error_rate"),
      value: fmtRate(llm.error_rate),
      band: llm.band,
      note: bandLabel(llm.band),
    },
    { label: t("success_rate"), value: fmtRate(llm.success_rate) },
  ]);
}

function renderLlmByType(rows) {
  const seconds = (v) => (isNum(v) ? t("seconds", { value: fmtOne(v) }) : "—");
  fillTable(
    "table-llm",
    rows,
    [
      (r) => r.processing_type,
      { value: (r) => fmtInt(r.total), numeric: true },
      { value: (r) => fmtInt(r.completed), numeric: true },
      { value: (r) => fmtInt(r.failed), numeric: true },
      { value: (r) => fmtInt(r.in_progress), numeric: true },
      { value: (r) => fmtInt(r.pending), numeric: true },
      { value: (r) => fmtRate(r.error_rate), numeric: true },
      { value: (r) => fmtRate(r.success_rate), numeric: true },
      { value: (r) => seconds(r.duration_seconds?.mean), numeric: true },
      { value: (r) => seconds(r.duration_seconds?.min), numeric: true },
      { value: (r) => seconds(r.duration_seconds?.max), numeric: true },
    ],
    (tr, r) => {
      if (!r.worst) return;
      tr.classList.add("row-worst");
      tr.firstChild.append(" ", el("span", "badge badge-worst", t("worst_badge")));
    },
  );
}

/* ---------- whole-page rendering and failures ---------- */

function renderAll(doc) {
  renderHeader(doc);
  renderScopeNotes();
  renderCards(doc);
  section("coverage", doc, renderCoverage);
  section("meetings", doc, renderMeetings);
  section("speakers", doc, renderSpeakers);
  section("activity", doc, (a, missing) => renderActivity(a, missing, doc));
  section("processing", doc, renderProcessing);
}

function failureText(error) {
  if (error.code === "database_unavailable") return t("db_unavailable");
  if (error.code === "invalid_parameter") return t("invalid_parameter");
  if (error.code === "overloaded") return t("overloaded");
  if (error.code === "database_busy") return t("db_busy");
  if (error.status === 0) return t("network_error");
  if (error.status === 503) return t("db_unavailable");
  return t("request_failed");
}

/** The request failed: say so in a banner; keep the last rendered data, marked stale. */
function showFailure(error) {
  const database = error.code === "database_unavailable" || error.code === "database_busy";
  $("#banner-title").textContent = failureText(error);
  $("#banner").dataset.kind = database ? "database" : "request";
  $("#banner-text").textContent = [
    database ? t("db_retrying") : "",
    error.message,
    state.data ? t("stale", { time: fmtDateTime(state.data.as_of) }) : "",
  ]
    .filter(Boolean)
    .join(" — ");
  $("#banner").hidden = false;
  if (state.data) {
    setStale(true);
    renderAll(state.data);
    return;
  }
  for (const root of $$(".panel:not([hidden])")) showUnavailable(root, failureText(error));
  $("#cards").replaceChildren(el("p", "stat-message", failureText(error)));
  $("#cards").dataset.state = "error";
}

/** The server kept the last data because the database is down: say so, with its date. */
function showServerStale(doc) {
  $("#banner-title").textContent = t("db_unavailable");
  $("#banner-text").textContent = [
    t("stale_server", { time: fmtDateTime(doc.as_of) }),
    t("db_retrying"),
  ].join(" — ");
  $("#banner").dataset.kind = "database";
  $("#banner").hidden = false;
  setStale(true);
}

function setStale(stale) {
  document.body.classList.toggle("is-stale", stale);
  $("#stale-badge").hidden = !stale;
}

async function loadDashboard(method = "GET") {
  const seq = ++state.requestSeq;
  setLoading(true);
  const endpoint = method === "POST" ? "/api/v1/refresh" : "/api/v1/dashboard";
  try {
    const doc = await fetchJson(`${endpoint}${dataQuery()}`, { method });
    if (seq !== state.requestSeq) return;
    state.data = doc;
    setLoading(false);
    if (doc.stale) {
      showServerStale(doc);
    } else {
      $("#banner").hidden = true;
      setStale(false);
    }
    renderAll(doc);
  } catch (error) {
    if (seq !== state.requestSeq) return;
    setLoading(false);
    showFailure(error);
  }
}

/* ---------- filters and URL state ---------- */

/** The filter parameters of the page URL, dropping empty ones. */
function readUrlParams() {
  const url = new URLSearchParams(window.location.search);
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = url.get(key);
    if (value) params.set(key, value);
  }
  return params;
}

/** Adds an option for a value the choices do not list, so a shared link keeps its filter. */
function ensureOption(select, value, label) {
  if (!value || [...select.options].some((o) => o.value === value)) return;
  select.append(new Option(label ?? value, value));
}

function syncControls() {
  const p = state.params;
  const custom =
    p.get("period") === "custom" || (!p.get("period") && (p.get("from") || p.get("to")));
  $("#f-period").value = custom ? "custom" : (p.get("period") ?? "30d");
  $("#f-from").value = p.get("from") ?? "";
  $("#f-to").value = p.get("to") ?? "";
  $("#range-fields").hidden = !custom;
  for (const key of ["type", "prefecture", "conference"]) {
    const select = $(`#f-${key}`);
    ensureOption(select, p.get(key));
    select.value = p.get(key) ?? "";
  }
}

/** Builds the parameters from the controls; null while a custom range is incomplete. */
function paramsFromControls() {
  const params = new URLSearchParams();
  const period = $("#f-period").value;
  if (period === "custom") {
    const from = $("#f-from").value;
    const to = $("#f-to").value;
    const valid = from && to && from <= to;
    $("#range-error").hidden = Boolean(valid);
    if (!valid) return null;
    params.set("period", "custom");
    params.set("from", from);
    params.set("to", to);
  } else if (period !== "30d") {
    params.set("period", period);
  }
  for (const key of ["type", "prefecture", "conference"]) {
    const value = $(`#f-${key}`).value;
    if (value) params.set(key, value);
  }
  return params;
}

function applyParams(params) {
  state.params = params;
  writeUrl();
  updateLinks();
  syncControls();
  if (
    state.drillCode !== undefined &&
    params.get("prefecture") &&
    params.get("prefecture") !== state.drillCode
  ) {
    closeDrilldown();
  }
  loadDashboard();
}

function onFilterChange() {
  const custom = $("#f-period").value === "custom";
  $("#range-fields").hidden = !custom;
  if (custom && !$("#f-from").value && !$("#f-to").value && state.data?.period) {
    // Start the custom range from the period on screen rather than from two empty inputs.
    $("#f-from").value = state.data.period.from;
    $("#f-to").value = state.data.period.to;
  }
  const params = paramsFromControls();
  if (params) applyParams(params);
}

function setFilter(key, value) {
  const params = new URLSearchParams(state.params);
  if (value) params.set(key, value);
  else params.delete(key);
  applyParams(params);
}

/** Writes the filters (and `lang`, when the URL carried it) back to the address bar. */
function writeUrl() {
  const query = new URLSearchParams(state.params);
  if (new URLSearchParams(window.location.search).has("lang")) query.set("lang", state.lang);
  const text = query.toString();
  window.history.replaceState(null, "", `${window.location.pathname}${text ? `?${text}` : ""}`);
}

/** The filters for the download links, plus `lang=en` on the English page (ja is the default). */
function exportQuery() {
  const params = new URLSearchParams(state.params);
  if (state.lang === "en") params.set("lang", "en");
  const text = params.toString();
  return text ? `?${text}` : "";
}

function updateLinks() {
  const query = exportQuery();
  $("#export-xlsx").href = `/api/v1/export/dashboard.xlsx${query}`;
  for (const link of $$("[data-export]"))
    link.href = `/api/v1/export/${link.dataset.export}.csv${query}`;
  const switched = new URLSearchParams(state.params);
  switched.set("lang", state.lang === "en" ? "ja" : "en");
  $("#lang-switch").href = `?${switched}`;
}

async function loadFilterChoices() {
  try {
    const choices = await fetchJson("/api/v1/filters");
    fillChoices(choices);
  } catch (error) {
    console.warn("filter choices unavailable", error);
    fillChoices({ prefectures: state.tiles.map((p) => ({ code: p.code, name: p.name_ja })) });
    $("#f-conference").title = t("filters_unavailable");
  }
  syncControls();
  renderScopeNotes();
}

function fillChoices(choices) {
  const prefecture = $("#f-prefecture");
  prefecture.replaceChildren(new Option(t("all"), ""));
  for (const p of choices.prefectures ?? [])
    prefecture.append(new Option(prefectureName(p.code, p.name), p.code));
  if (![...prefecture.options].some((o) => o.value === "unknown")) {
    prefecture.append(new Option(t("unknown_prefecture"), "unknown"));
  }
  if (choices.types) {
    const type = $("#f-type");
    type.replaceChildren(new Option(t("all"), ""));
    for (const value of choices.types) type.append(new Option(tValue("type_", value), value));
  }
  const conference = $("#f-conference");
  conference.replaceChildren(new Option(t("all"), ""));
  for (const c of choices.conferences ?? []) {
    conference.append(new Option(conferenceLabel(c.name, c.governing_body), String(c.id)));
  }
}

function setAutoRefresh(minutes) {
  clearInterval(state.autoTimer);
  state.autoTimer = null;
  try {
    window.localStorage.setItem(AUTO_REFRESH_KEY, String(minutes));
  } catch {
    // Storage can be disabled; the choice then lasts for this page only.
  }
  if (minutes > 0) {
    state.autoTimer = setInterval(() => {
      // A background tab does not need fresh numbers; it refreshes when next due and visible.
      if (!document.hidden) loadDashboard();
    }, minutes * 60_000);
  }
}

function storedAutoRefresh() {
  try {
    const minutes = Number(window.localStorage.getItem(AUTO_REFRESH_KEY));
    return [1, 5, 15].includes(minutes) ? minutes : 0;
  } catch {
    return 0;
  }
}

function bindControls() {
  for (const id of ["#f-period", "#f-from", "#f-to", "#f-type", "#f-prefecture", "#f-conference"]) {
    $(id).addEventListener("change", onFilterChange);
  }
  $("#filters").addEventListener("submit", (e) => e.preventDefault());
  $("#refresh").addEventListener("click", refreshNow);
  $("#clear-filters").addEventListener("click", () => applyParams(new URLSearchParams()));
  $("#banner-retry").addEventListener("click", () => loadDashboard());
  $("#f-auto").value = String(storedAutoRefresh());
  $("#f-auto").addEventListener("change", (e) => setAutoRefresh(Number(e.target.value)));
  $("#toggle-prefectures").addEventListener("click", () => {
    state.showAllPrefectures = !state.showAllPrefectures;
    if (state.data?.coverage?.prefectures) renderPrefectureTable(state.data.coverage.prefectures);
  });
  $("#toggle-conferences").addEventListener("click", () => {
    state.showTop20Conferences = !state.showTop20Conferences;
    const m = state.data?.meetings;
    if (m?.by_conference) renderByConference(m.by_conference, m.conference_count);
  });
  $("#drilldown-close").addEventListener("click", closeDrilldown);
  $("#drilldown-filter").addEventListener("click", () => setFilter("prefecture", state.drillCode));
}

/** データを更新: recomputes on the server, then renders the fresh document. */
async function refreshNow() {
  const button = $("#refresh");
  button.disabled = true;
  button.textContent = t("refreshing");
  await loadDashboard("POST");
  button.disabled = false;
  button.textContent = t("refresh");
}

/* ---------- start-up ---------- */

/** Before the first answer every chart, table and figure list says it is loading. */
function showPlaceholders() {
  for (const node of $$("[data-chart]")) showChartLoading(node.dataset.chart);
  for (const body of $$("tbody")) {
    body.replaceChildren(messageRow($$("thead th", body.parentElement).length, t("loading")));
  }
  for (const list of $$("dl.stats")) list.replaceChildren(el("div", "stat-message", t("loading")));
  $("#cards").replaceChildren(
    ...[1, 2, 3, 4, 5].map(() => el("article", "card card-placeholder", t("loading"))),
  );
}

async function loadStatic(url, fallback) {
  try {
    return await fetchJson(url);
  } catch (error) {
    console.error(`could not load ${url}`, error);
    return fallback;
  }
}

async function main() {
  const body = document.body;
  state.lang = body.dataset.lang === "en" ? "en" : "ja";
  state.formats = buildFormats(state.lang);
  const [dict, tiles] = await Promise.all([
    loadStatic(body.dataset.i18nUrl, {}),
    loadStatic(body.dataset.tilesUrl, { prefectures: [] }),
  ]);
  state.dict = dict[state.lang] ?? {};
  state.tiles = tiles.prefectures ?? [];
  state.params = readUrlParams();

  if (!window.echarts) {
    showFailure(new ApiError("script", "ECharts did not load", 0));
    return;
  }
  syncControls();
  updateLinks();
  bindControls();
  setAutoRefresh(storedAutoRefresh());
  showPlaceholders();
  loadFilterChoices();
  await loadDashboard();
}

main();
