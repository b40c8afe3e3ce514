// The dashboard: sign-in, the view (range, granularity, zone, drill-down) kept in the URL, and the
// refresh loop that redraws every panel from one set of answers.

import { ApiError, apiKey, getJson, getPages } from "./api.js";
import { SeriesChart } from "./chart.js";
import * as format from "./format.js";
import * as panels from "./panels.js";

const byId = id => document.getElementById(id);

const minute = 60_000;
const bucketMs = { minute, hour: 60 * minute, day: 1440 * minute };
const presets = {
  "30m": { ms: 30 * minute, granularity: "minute", text: "30 minutes" },
  "1h": { ms: 60 * minute, granularity: "minute", text: "hour" },
  "24h": { ms: 1440 * minute, granularity: "hour", text: "24 hours" },
  "7d": { ms: 7 * 1440 * minute, granularity: "hour", text: "7 days" },
  "30d": { ms: 30 * 1440 * minute, granularity: "day", text: "30 days" },
};
// The API answers at most this many buckets per series.
const maxBuckets = 1440;
// Polling, not server-sent events: EventSource cannot send the X-Api-Key header.
const livePeriodMs = 1000;
const slowPanelsPeriodMs = 30_000;
const topAdsShown = 50;
const campaignsShown = 100;

const defaults = { range: "1h", granularity: "minute", zone: "local", compare: false, live: true, sort: "clicks", by: "device" };
const breakdownDimensions = ["device", "browser", "os", "country"];

const page = {
  me: null,
  view: { ...defaults },
  names: new Map(),
  campaign: null,
  budget: null,
  answers: { series: null, topAds: [], campaigns: [], reconciliation: [], breakdown: null },
  sequence: 0,
  generation: 0,
  timer: null,
  slowPanelsAt: 0,
  chart: null,
};

// ---- the view, kept in the URL so a reload, a bookmark or Back shows the same thing ----

function readView() {
  const params = new URLSearchParams(location.hash.slice(1));
  const view = { ...defaults };
  if (params.get("range") in presets || params.get("range") === "custom") view.range = params.get("range");
  if (params.get("per") in bucketMs) view.granularity = params.get("per");
  else if (view.range in presets) view.granularity = presets[view.range].granularity;
  if (params.get("tz") === "utc") view.zone = "utc";
  view.compare = params.get("compare") === "1";
  view.live = params.get("live") !== "0";
  if (["clicks", "impressions", "ctr"].includes(params.get("sort"))) view.sort = params.get("sort");
  if (breakdownDimensions.includes(params.get("by"))) view.by = params.get("by");
  for (const name of ["advertiser", "campaign", "ad", "from", "to"]) {
    if (params.get(name)) view[name] = params.get(name);
  }

  return view;
}

function hashOf(view) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({
    advertiser: view.advertiser, range: view.range, per: view.granularity, tz: view.zone, compare: view.compare ? "1" : undefined,
    live: view.live ? undefined : "0", sort: view.sort === "clicks" ? undefined : view.sort,
    from: view.range === "custom" ? view.from : undefined, to: view.range === "custom" ? view.to : undefined,
    campaign: view.campaign, ad: view.ad, by: view.by === defaults.by ? undefined : view.by,
  })) {
    if (value) params.set(name, value);
  }

  return `#${params}`;
}

/** Changes the view; a drill-down step is a new history entry (Back goes up), a control change is not. */
function changeView(changes, { push = false } = {}) {
  page.view = { ...page.view, ...changes };
  const hash = hashOf(page.view);
  if (hash !== location.hash) {
    history[push ? "pushState" : "replaceState"](null, "", hash);
  }

  showView();
  if (push) {
    // The drilled row is redrawn away: keep the keyboard where the new view is named.
    document.querySelector('#breadcrumb [aria-current="page"]')?.focus();
  }

  refresh({ slowPanels: true });
}

/** [from, to) in whole buckets ending with the bucket that holds now, as the API aligns them. */
function period() {
  const view = page.view;
  const size = bucketMs[view.granularity];
  if (view.range === "custom") {
    const from = new Date(view.from);
    const to = new Date(view.to);
    return { from, to, text: "period of the same length", live: to.getTime() > Date.now() };
  }

  const to = Math.ceil((Date.now() + 1) / size) * size;
  const from = Math.floor((to - presets[view.range].ms) / size) * size;
  return { from: new Date(from), to: new Date(to), text: presets[view.range].text, live: true };
}

function bucketsOf(range, granularity) {
  return Math.ceil(presets[range].ms / bucketMs[granularity]);
}

// ---- controls ----

function showView() {
  const view = page.view;
  byId("range").value = view.range;
  byId("custom-range").hidden = view.range !== "custom";
  for (const option of byId("granularity").options) {
    // A preset offers only bucket sizes that fit it and that the API answers in one series.
    option.disabled = view.range in presets
      && (bucketMs[option.value] > presets[view.range].ms * 2 || bucketsOf(view.range, option.value) > maxBuckets);
  }

  byId("granularity").value = view.granularity;
  byId("time-zone").value = view.zone;
  byId("time-zone-local").textContent = `This browser's (${format.localZone()})`;
  byId("compare-previous").checked = view.compare;
  byId("live").checked = view.live;
  byId("breakdown-by").value = view.by;
  if (view.range === "custom" && view.from && view.to) {
    byId("range-from").value = format.inputValue(new Date(view.from), view.zone);
    byId("range-to").value = format.inputValue(new Date(view.to), view.zone);
  }

  for (const header of byId("top-ads").tHead.querySelectorAll("th[aria-sort]")) {
    header.setAttribute("aria-sort", header.querySelector("button").dataset.sort === view.sort ? "descending" : "none");
  }

  showBreadcrumb();
}

function showBreadcrumb() {
  const view = page.view;
  const trail = [{ text: "All campaigns", href: hashOf({ ...view, campaign: undefined, ad: undefined }) }];
  if (view.campaign) trail.push({ text: page.names.get(view.campaign) ?? "Campaign", href: hashOf({ ...view, ad: undefined }) });
  if (view.ad) trail.push({ text: page.names.get(view.ad) ?? "Ad", href: hashOf(view) });
  panels.renderBreadcrumb(trail);
}

function wireControls() {
  byId("range").addEventListener("change", event => {
    const range = event.target.value;
    if (range === "custom") {
      // Start the custom range from what is shown now; it applies with the Apply button.
      const { from, to } = period();
      byId("range-from").value = format.inputValue(from, page.view.zone);
      byId("range-to").value = format.inputValue(to, page.view.zone);
      byId("custom-range").hidden = false;
      byId("range-from").focus();
      return;
    }

    changeView({ range, granularity: presets[range].granularity, from: undefined, to: undefined });
  });
  byId("range-apply").addEventListener("click", () => {
    const from = format.fromInputValue(byId("range-from").value, page.view.zone);
    const to = format.fromInputValue(byId("range-to").value, page.view.zone);
    if (!from || !to || from >= to) {
      showBanner("A custom range needs a start before its end.");
      return;
    }

    hideBanner();
    changeView({ range: "custom", from: from.toISOString(), to: to.toISOString() });
  });
  byId("controls").addEventListener("submit", event => event.preventDefault());
  byId("granularity").addEventListener("change", event => changeView({ granularity: event.target.value }));
  byId("time-zone").addEventListener("change", event => changeView({ zone: event.target.value }));
  byId("compare-previous").addEventListener("change", event => changeView({ compare: event.target.checked }));
  byId("live").addEventListener("change", event => changeView({ live: event.target.checked }));
  byId("advertiser-picker").addEventListener("change", event => changeView({ advertiser: event.target.value, campaign: undefined, ad: undefined }, { push: true }));
  for (const button of byId("top-ads").tHead.querySelectorAll("button[data-sort]")) {
    button.addEventListener("click", () => changeView({ sort: button.dataset.sort }));
  }

  byId("breakdown-by").addEventListener("change", event => changeView({ by: event.target.value }));
  byId("export-breakdown").addEventListener("click", () => page.answers.breakdown && format.download("breakdown.csv", panels.breakdownCsv(page.answers.breakdown)));
  byId("export-series").addEventListener("click", () => page.answers.series && format.download("series.csv", panels.seriesCsv(page.answers.series)));
  byId("export-top-ads").addEventListener("click", () => format.download("top-ads.csv", panels.topAdsCsv(page.answers.topAds)));
  byId("export-campaigns").addEventListener("click", () => format.download("campaigns.csv", panels.campaignsCsv(page.answers.campaigns)));
  byId("export-reconciliation").addEventListener("click", () =>
    format.download("reconciliation.csv", panels.reconciliationCsv(page.answers.reconciliation, selection())));
  addEventListener("popstate", () => {
    page.view = readView();
    showView();
    refresh({ slowPanels: true });
  });
  document.addEventListener("visibilitychange", () => {
    if (!page.me) return;
    if (!document.hidden) {
      refresh({ slowPanels: false });
    } else if (byId("dashboard").dataset.live === "polling") {
      // A hidden tab asks nothing: analysts leave dashboards open for days.
      clearTimeout(page.timer);
      showLive("paused");
    }
  });
}

const drill = {
  campaign: (campaignId, name) => {
    if (name) page.names.set(campaignId, name);
    changeView({ campaign: campaignId, ad: undefined }, { push: true });
  },
  ad: ad => {
    page.names.set(ad.adId, ad.adName ?? ad.adId);
    if (ad.campaignName) page.names.set(ad.campaignId, ad.campaignName);
    changeView({ campaign: ad.campaignId, ad: ad.adId }, { push: true });
  },
};

const selection = () => ({ campaignId: page.view.campaign, adId: page.view.ad });

// ---- the refresh loop ----

function advertiserId() {
  return page.me.isAdmin ? page.view.advertiser : page.me.advertiserId;
}

function seriesPath() {
  if (page.view.ad) return `/api/analytics/ads/${page.view.ad}`;
  if (page.view.campaign) return `/api/analytics/campaigns/${page.view.campaign}`;
  return `/api/analytics/advertisers/${advertiserId()}`;
}

/** The breakdown of what the view shows: the ad, the campaign, or every ad of the advertiser. */
function breakdownPath() {
  return `${seriesPath()}/breakdown`;
}

/**
 * Reads every panel for the current view and draws them together. A newer refresh (the view changed)
 * supersedes an older one still waiting, which then draws nothing. The ready marker tells tests and
 * screen readers when what is shown belongs to one view.
 */
async function refresh({ slowPanels }) {
  clearTimeout(page.timer);
  const sequence = ++page.sequence;
  const main = byId("dashboard");
  main.dataset.ready = "false";
  // A view change is announced as busy; a live poll, every second, is not.
  if (slowPanels) main.setAttribute("aria-busy", "true");
  const range = period();
  const query = { from: range.from.toISOString(), to: range.to.toISOString(), granularity: page.view.granularity };
  const slow = slowPanels || Date.now() - page.slowPanelsAt > slowPanelsPeriodMs;
  const reads = [
    getJson(seriesPath(), { ...query, compare: "previous" }),
    page.view.ad ? Promise.resolve(null) : getJson("/api/analytics/top-ads", {
      from: query.from, to: query.to, limit: topAdsShown, sort: page.view.sort, campaignId: page.view.campaign,
      advertiserId: page.me.isAdmin ? advertiserId() : undefined,
    }),
    slow ? getPages("/api/campaigns", { advertiserId: page.me.isAdmin ? advertiserId() : undefined }, campaignsShown) : null,
    slow && page.view.campaign ? getJson(`/api/campaigns/${page.view.campaign}`) : null,
    slow ? getJson("/api/reconciliation/reports", { from: new Date(Date.now() - 1440 * minute).toISOString() }) : null,
    slow && page.view.ad && !page.names.has(page.view.ad) ? getJson(`/api/ads/${page.view.ad}`) : null,
    // An ad's series has no budget: the campaign's lifetime spend comes from the campaign's own answer.
    slow && page.view.ad ? getJson(`/api/analytics/campaigns/${page.view.campaign}`, { granularity: "day" }) : null,
    getJson(breakdownPath(), { by: page.view.by, from: query.from, to: query.to }),
  ];
  const [series, topAds, campaigns, campaign, reconciliation, ad, adCampaign, breakdown] = await Promise.allSettled(reads);
  if (sequence !== page.sequence) {
    return;
  }

  const errors = [];
  const settle = (panel, result, draw) => {
    if (result.status === "fulfilled") {
      if (result.value !== null) {
        panels.clearError(panel);
        try {
          draw(result.value);
        } catch (failure) {
          // One panel that cannot draw an answer says so; the others and the refresh loop go on.
          console.error(failure);
          panels.showError(panel, new ApiError(-1, { title: "the answer could not be shown" }, null));
        }
      }
    } else {
      errors.push(result.reason);
      panels.showError(panel, asApiError(result.reason));
    }
  };
  if (slow) page.slowPanelsAt = Date.now();
  // Three reads feed the campaigns panel; it shows the first that failed.
  const campaignReads = [ad, campaign, adCampaign, campaigns];
  const campaignFailure = campaignReads.find(r => r.status === "rejected");
  for (const read of campaignReads.filter(r => r.status === "fulfilled" && r.value !== null)) {
    const answer = read.value;
    if (read === ad || read === campaign) page.names.set(answer.id, answer.name);
    if (read === campaign) page.campaign = answer;
    if (read === adCampaign) page.budget = answer.budget ?? null;
  }

  if (!page.view.campaign) page.campaign = null;
  settle("campaigns", campaignFailure ?? campaigns, answer => {
    page.answers.campaigns = page.view.campaign ? answer.items.filter(c => c.id === page.view.campaign) : answer.items;
    for (const c of answer.items) page.names.set(c.id, c.name);
    panels.renderCampaigns(page.answers.campaigns, page.view.campaign ? page.answers.campaigns.length : answer.total, page.view.zone, drill);
  });
  settle("series", series, answer => {
    page.answers.series = answer;
    panels.clearError("kpis");
    panels.renderKpis(answer, range.text);
    panels.renderSeriesTable(answer, page.view.zone);
    page.chart.render(answer, { compare: page.view.compare, zone: page.view.zone });
    if (!page.view.ad) page.budget = answer.budget ?? null;
    panels.renderCampaignDetail(page.campaign, page.budget, page.view.zone);
    showAsOf(answer.asOf);
  });
  if (series.status === "rejected") panels.showError("kpis", asApiError(series.reason));
  settle("top-ads", topAds, answer => {
    page.answers.topAds = answer.items;
    panels.renderTopAds(answer.items, page.view.sort, selection(), drill);
  });
  if (page.view.ad && series.status === "fulfilled") {
    const totals = series.value.totals;
    page.answers.topAds = [{
      adId: page.view.ad, adName: page.names.get(page.view.ad) ?? null, campaignId: page.view.campaign,
      campaignName: page.names.get(page.view.campaign) ?? null, clicks: totals.clicks, impressions: totals.impressions, ctr: totals.ctr,
      invalidClicks: totals.invalidClicks, invalidClicksByReason: totals.invalidClicksByReason,
    }];
    panels.clearError("top-ads");
    panels.renderTopAds(page.answers.topAds, page.view.sort, selection(), drill);
  }

  settle("breakdown", breakdown, answer => {
    page.answers.breakdown = answer;
    panels.renderBreakdown(answer, page.view.zone);
  });
  settle("reconciliation", reconciliation, answer => {
    page.answers.reconciliation = [...answer.items].sort((a, b) => b.hour.localeCompare(a.hour));
    panels.renderReconciliation(page.answers.reconciliation, page.view.zone, selection());
  });
  showBreadcrumb();

  const failure = errors.map(asApiError).find(e => e.status === 401) ?? errors.map(asApiError).find(e => e.isTransient);
  if (failure?.status === 401) {
    signOut(failure.message);
    return;
  }

  if (failure) showBanner(failure.message);
  else hideBanner();

  byId("live").disabled = !range.live;
  const live = failure ? "retrying" : !(page.view.live && range.live) ? "off" : document.hidden ? "paused" : "polling";
  showLive(live);
  main.dataset.generation = String(++page.generation);
  main.dataset.ready = "true";
  main.setAttribute("aria-busy", "false");
  if (live === "retrying") {
    page.timer = setTimeout(() => refresh({ slowPanels: true }), (failure.retryAfterSeconds ?? 5) * 1000);
  } else if (live === "polling") {
    page.timer = setTimeout(() => refresh({ slowPanels: false }), livePeriodMs);
  }
}

/** polling, paused (the tab is hidden), retrying (after a 429 or 503) or off: on the page for the analyst and for tests. */
function showLive(state) {
  byId("dashboard").dataset.live = state;
  byId("live-state").textContent = { polling: "", paused: " · live paused while this tab is hidden", retrying: " · retrying", off: "" }[state];
}

function asApiError(reason) {
  return reason instanceof ApiError ? reason : new ApiError(-1, { title: String(reason?.message ?? reason) }, null);
}

function showAsOf(asOf) {
  const node = byId("as-of");
  node.dateTime = asOf;
  node.textContent = format.timeWithSeconds(asOf, page.view.zone);
  byId("dashboard").dataset.asOf = asOf;
}

function showBanner(message) {
  const banner = byId("error-banner");
  banner.textContent = message;
  banner.hidden = false;
}

function hideBanner() {
  byId("error-banner").hidden = true;
}

// ---- signing in and out ----

async function signIn(key) {
  const error = byId("sign-in-error");
  try {
    page.me = await getJson("/api/me", {}, key);
  } catch (reason) {
    const failure = asApiError(reason);
    error.textContent = failure.status === 401 ? "The API key was not accepted." : failure.message;
    error.hidden = false;
    return false;
  }

  apiKey.set(key);
  error.hidden = true;
  byId("signed-in-as").textContent = page.me.isAdmin ? "Admin" : page.me.name;
  byId("account").hidden = false;
  byId("sign-in-view").hidden = true;
  byId("dashboard").hidden = false;
  page.view = readView();
  if (page.me.isAdmin) {
    await chooseAdvertiser();
  }

  showView();
  page.chart ??= new SeriesChart(byId("series-chart"));
  await refresh({ slowPanels: true });
  return true;
}

/** The admin looks at one advertiser at a time, the first one unless the URL names another. */
async function chooseAdvertiser() {
  byId("advertiser-control").hidden = false;
  const picker = byId("advertiser-picker");
  const { items } = await getPages("/api/advertisers", {}, 1000).catch(() => ({ items: [] }));
  picker.replaceChildren(...items.map(a => new Option(a.name, a.id)));
  if (items.length === 0) {
    showBanner("There are no advertisers yet: create one with POST /api/advertisers.");
    return;
  }

  if (!items.some(a => a.id === page.view.advertiser)) {
    page.view.advertiser = items[0].id;
    history.replaceState(null, "", hashOf(page.view));
  }

  picker.value = page.view.advertiser;
}

function signOut(message) {
  clearTimeout(page.timer);
  page.sequence++;
  page.me = null;
  apiKey.clear();
  byId("account").hidden = true;
  byId("dashboard").hidden = true;
  byId("advertiser-control").hidden = true;
  byId("sign-in-view").hidden = false;
  const error = byId("sign-in-error");
  error.textContent = message ?? "";
  error.hidden = !message;
  byId("api-key").value = "";
  byId("api-key").focus();
}

byId("sign-in").addEventListener("submit", async event => {
  event.preventDefault();
  const key = byId("api-key").value.trim();
  if (!key) {
    const error = byId("sign-in-error");
    error.textContent = "Enter an API key.";
    error.hidden = false;
    return;
  }

  if (await signIn(key)) {
    byId("dashboard").focus();
  }
});
byId("sign-out").addEventListener("click", () => signOut(null));
wireControls();

if (apiKey.get()) {
  signIn(apiKey.get()).then(ok => ok || signOut("The API key was not accepted."));
} else {
  signOut(null);
}
