// Each panel drawn from the API's answers. Text goes in with textContent only: names are advertisers' input.

import * as format from "./format.js";

const byId = id => document.getElementById(id);

function element(tag, { text, attributes = {}, children = [] } = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) {
    node.textContent = text;
  }

  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) {
      node.setAttribute(name, value);
    }
  }

  node.append(...children);
  return node;
}

const cell = (column, value, text, className) =>
  element("td", { text, attributes: { "data-col": column, "data-value": value, class: className } });

export function showError(panel, error) {
  const alert = byId(`${panel}-error`);
  alert.textContent = error.message;
  alert.hidden = false;
}

export function clearError(panel) {
  const alert = byId(`${panel}-error`);
  alert.textContent = "";
  alert.hidden = true;
}

export function renderKpis(answer, periodText) {
  const previous = answer.previous?.totals;
  for (const [name, current, before, text] of [
    ["impressions", answer.totals.impressions, previous?.impressions, format.count],
    ["clicks", answer.totals.clicks, previous?.clicks, format.count],
    ["ctr", answer.totals.ctr, previous?.ctr, format.ratio],
  ]) {
    const card = byId(`kpi-${name}`);
    card.dataset.value = String(current);
    card.querySelector(".kpi-value").textContent = text(current);
    const delta = card.querySelector(".kpi-delta");
    const change = before === undefined ? null : format.change(current, before);
    delta.dataset.value = change === null ? "" : String(change);
    delta.className = `kpi-delta ${change === null || change === 0 ? "flat" : change > 0 ? "up" : "down"}`;
    // The arrow and the words carry the direction; colour only repeats it.
    delta.textContent = change === null
      ? `No ${name === "ctr" ? "CTR" : name} in the previous ${periodText} to compare with`
      : `${change > 0 ? "▲" : change < 0 ? "▼" : "="} ${format.changeText(change)} vs the previous ${periodText} (${text(before)})`;
  }
}

export function renderSeriesTable(answer, zone) {
  const rows = answer.series.map(point => {
    const ctr = point.impressions === 0 ? 0 : point.clicks / point.impressions;
    const start = format.time(point.start, zone, answer.granularity);
    return element("tr", {
      attributes: { "data-start": point.start, "data-partial": point.partial ? "true" : undefined },
      children: [
        element("th", { text: point.partial ? `${start} (partial)` : start, attributes: { scope: "row" } }),
        cell("clicks", point.clicks, format.count(point.clicks), "number"),
        cell("impressions", point.impressions, format.count(point.impressions), "number"),
        cell("ctr", ctr, format.ratio(ctr), "number"),
      ],
    });
  });
  byId("series-table").tBodies[0].replaceChildren(...rows);
  const partial = answer.series.filter(p => p.partial).length;
  byId("series-note").textContent = [
    `${answer.series.length} buckets of a ${answer.granularity}, aligned to UTC${answer.granularity === "day" ? " days" : ""}; times shown in ${format.zoneName(zone)}.`,
    partial > 0 ? "The shaded bucket is still filling." : "",
  ].join(" ");
  const chart = byId("series-chart");
  chart.setAttribute("aria-label",
    `Chart of ${format.count(answer.totals.clicks)} clicks and ${format.count(answer.totals.impressions)} impressions over ${answer.series.length} buckets; the table below holds every number.`);
}

export function seriesCsv(answer) {
  return format.csv(
    ["bucketStart", "clicks", "impressions", "ctr", "partial"],
    answer.series.map(p => [p.start, p.clicks, p.impressions, p.impressions === 0 ? 0 : p.clicks / p.impressions, p.partial ? "true" : "false"]));
}

export function renderTopAds(items, sort, selection, drill) {
  const rows = items.map(ad => element("tr", {
    attributes: { "data-ad-id": ad.adId, "data-campaign-id": ad.campaignId },
    children: [
      element("td", { attributes: { "data-col": "ad" }, children: [drillButton("drill-ad", ad.adName ?? ad.adId, `Show only ad ${ad.adName ?? ad.adId}`, () => drill.ad(ad))] }),
      element("td", {
        attributes: { "data-col": "campaign" },
        children: [drillButton("drill-campaign", ad.campaignName ?? ad.campaignId, `Show only campaign ${ad.campaignName ?? ad.campaignId}`, () => drill.campaign(ad.campaignId, ad.campaignName))],
      }),
      cell("clicks", ad.clicks, format.count(ad.clicks), "number"),
      cell("impressions", ad.impressions, format.count(ad.impressions), "number"),
      cell("ctr", ad.ctr, format.ratio(ad.ctr), "number"),
      invalidClicksCell(ad),
    ],
  }));
  byId("top-ads").tBodies[0].replaceChildren(...(rows.length > 0 ? rows : [emptyRow(6, "No clicks or impressions in this range.")]));
  byId("top-ads-note").textContent = selection.adId
    ? "The selected ad."
    : `The ${items.length} ads with the most ${sort === "ctr" ? "CTR" : sort}${selection.campaignId ? " in this campaign" : ""}.`;
}

export function topAdsCsv(items) {
  return format.csv(
    ["adId", "adName", "campaignId", "campaignName", "clicks", "impressions", "ctr", "invalidClicks"],
    items.map(a => [a.adId, a.adName, a.campaignId, a.campaignName, a.clicks, a.impressions, a.ctr, a.invalidClicks]));
}

// Invalid clicks are never billed: shown beside the billable counts, with the reasons that made them invalid as its title.
function invalidClicksCell(ad) {
  const td = cell("invalid", ad.invalidClicks, format.count(ad.invalidClicks), "number");
  const reasons = Object.entries(ad.invalidClicksByReason).filter(([, count]) => count > 0);
  if (reasons.length > 0) {
    td.title = reasons.map(([reason, count]) => `${reason}: ${format.count(count)}`).join(", ");
  }

  return td;
}

function drillButton(testId, text, label, onClick) {
  const button = element("button", { text, attributes: { type: "button", class: "link", "data-testid": testId, "aria-label": label } });
  button.addEventListener("click", onClick);
  return button;
}

function emptyRow(columns, text) {
  return element("tr", { children: [element("td", { text, attributes: { colspan: columns, class: "empty" } })] });
}

function schedule(campaign, zone) {
  const starts = campaign.startsAt ? format.time(campaign.startsAt, zone) : "now";
  return campaign.endsAt ? `${starts} – ${format.time(campaign.endsAt, zone)}` : `from ${starts}, no end`;
}

const optional = value => (value === null || value === undefined ? "none" : format.count(value));

export function renderCampaigns(campaigns, total, zone, drill) {
  const rows = campaigns.map(campaign => element("tr", {
    attributes: { "data-campaign-id": campaign.id },
    children: [
      element("td", { attributes: { "data-col": "name" }, children: [drillButton("drill-campaign", campaign.name, `Show only campaign ${campaign.name}`, () => drill.campaign(campaign.id, campaign.name))] }),
      cell("status", campaign.status, campaign.status),
      cell("schedule", undefined, schedule(campaign, zone)),
      cell("dailyClickCap", campaign.dailyClickCap ?? "", optional(campaign.dailyClickCap), "number"),
      cell("totalClickBudget", campaign.totalClickBudget ?? "", optional(campaign.totalClickBudget), "number"),
    ],
  }));
  byId("campaigns-table").tBodies[0].replaceChildren(...(rows.length > 0 ? rows : [emptyRow(5, "No campaigns yet.")]));
  byId("campaigns-note").textContent = total > campaigns.length ? `The first ${campaigns.length} of ${format.count(total)} campaigns.` : "";
}

export function campaignsCsv(campaigns) {
  return format.csv(
    ["campaignId", "name", "status", "startsAt", "endsAt", "dailyClickCap", "totalClickBudget"],
    campaigns.map(c => [c.id, c.name, c.status, c.startsAt, c.endsAt, c.dailyClickCap, c.totalClickBudget]));
}

/** The selected campaign's settings and, from its series answer, its lifetime spend against the budget. */
export function renderCampaignDetail(campaign, budget, zone) {
  const detail = byId("campaign-detail");
  detail.hidden = campaign === null;
  if (campaign === null) {
    return;
  }

  byId("detail-status").textContent = campaign.status + (campaign.budgetSpentAt ? `, budget spent at ${format.time(campaign.budgetSpentAt, zone)}` : "");
  byId("detail-schedule").textContent = schedule(campaign, zone);
  byId("detail-daily-cap").textContent = optional(campaign.dailyClickCap);
  byId("detail-budget").textContent = optional(campaign.totalClickBudget);
  const spent = byId("budget-spent");
  const over = byId("over-budget");
  spent.dataset.value = budget ? String(budget.spentClicks) : "";
  spent.textContent = budget ? `${format.count(budget.spentClicks)} clicks (${format.ratio(budget.spentClicks / budget.totalClickBudget)})` : "no budget set";
  over.dataset.value = budget ? String(budget.overBudgetClicks) : "";
  over.textContent = budget ? `${format.count(budget.overBudgetClicks)} (counted, not billed)` : "—";
}

export function renderReconciliation(reports, zone, selection) {
  const rows = reports.map(report => {
    const found = mismatchesFound(report, selection);
    return element("tr", {
      attributes: { "data-run-id": report.runId },
      children: [
        element("th", { text: format.time(report.hour, zone), attributes: { scope: "row", "data-col": "hour", "data-value": report.hour } }),
        cell("status", report.status, report.status === "running" ? `running (${report.slicesDone} of ${report.slicesTotal})` : "completed"),
        cell("mismatches", found, format.count(found), "number"),
        cell("rowsRepaired", report.rowsRepaired, format.count(report.rowsRepaired), "number"),
      ],
    });
  });
  byId("reconciliation-table").tBodies[0].replaceChildren(...(rows.length > 0 ? rows : [emptyRow(4, "No hour has been reconciled in the last 24 hours.")]));
  byId("reconciliation-note").textContent = selection.campaignId
    ? "Mismatches of the selected campaign's ads; rows repaired are the whole run's."
    : "The runs of the last 24 hours, newest first.";
}

export function reconciliationCsv(reports, selection) {
  return format.csv(
    ["runId", "hour", "status", "mismatches", "rowsRepaired", "completedAt"],
    reports.map(r => [r.runId, r.hour, r.status, mismatchesFound(r, selection), r.rowsRepaired, r.completedAt]));
}

/** The run's mismatches; with a campaign (or an ad) selected, only its lines. */
function mismatchesFound(report, selection) {
  return selection.campaignId
    ? report.mismatches.filter(m => m.campaignId === selection.campaignId && (!selection.adId || m.adId === selection.adId)).length
    : report.mismatchCount;
}

export function renderBreadcrumb(trail) {
  const items = trail.map((step, index) => {
    const last = index === trail.length - 1;
    const link = element("a", { text: step.text, attributes: { href: step.href, "aria-current": last ? "page" : undefined } });
    return element("li", { children: [link] });
  });
  byId("breadcrumb").replaceChildren(...items);
}

const breakdownNames = { device: "Device class", browser: "Browser", os: "Operating system", country: "Country" };

/** The billable counts per value of one dimension, most clicks first, as the API ranks them. */
export function renderBreakdown(answer, zone) {
  byId("breakdown-value").textContent = breakdownNames[answer.by] ?? answer.by;
  const rows = answer.items.map(item => element("tr", {
    attributes: { "data-value": item.value },
    children: [
      element("th", { text: item.value, attributes: { scope: "row" } }),
      cell("clicks", item.clicks, format.count(item.clicks), "number"),
      cell("impressions", item.impressions, format.count(item.impressions), "number"),
      cell("ctr", item.ctr, format.ratio(item.ctr), "number"),
      cell("share", answer.totals.clicks === 0 ? 0 : item.clicks / answer.totals.clicks,
        format.ratio(answer.totals.clicks === 0 ? 0 : item.clicks / answer.totals.clicks), "number"),
    ],
  }));
  byId("breakdown").tBodies[0].replaceChildren(...(rows.length > 0 ? rows : [emptyRow(5, "No billable clicks or impressions in these hours.")]));
  // The rows are hourly: the API widens the range to whole UTC hours and says which it summed.
  byId("breakdown-note").textContent = `Billable clicks and impressions per ${(breakdownNames[answer.by] ?? answer.by).toLowerCase()}, `
    + `in the whole UTC hours from ${format.time(answer.from, zone, "hour")} to ${format.time(answer.to, zone, "hour")}`
    + `${answer.partial ? " (the last one still filling)" : ""}; "unknown" where the event carried no value.`;
}

export function breakdownCsv(answer) {
  return format.csv(
    ["by", "value", "clicks", "impressions", "ctr", "from", "to"],
    answer.items.map(i => [answer.by, i.value, i.clicks, i.impressions, i.ctr, answer.from, answer.to]));
}
