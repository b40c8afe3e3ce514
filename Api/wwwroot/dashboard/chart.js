// The time-series chart: clicks and impressions on the count axis, CTR on its own axis, the previous
// period overlaid on demand, and partial buckets shaded. Drawn by uPlot (vendored under /lib/uplot).

import { count, ratio } from "./format.js";

const colors = { clicks: "#0b5cad", impressions: "#a14a00", ctr: "#1e6b34" };

export class SeriesChart {
  constructor(container) {
    this.container = container;
    this.plot = null;
    this.shape = "";
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(container);
  }

  size() {
    return { width: Math.max(this.container.clientWidth, 200), height: this.container.clientWidth < 500 ? 220 : 300 };
  }

  /** Draws `answer` (a series answer of the analytics API); with `compare`, its previous period too. */
  render(answer, { compare, zone }) {
    const points = answer.series;
    const previous = compare && answer.previous ? answer.previous.series : null;
    const bucketSeconds = points.length > 1 ? (Date.parse(points[1].start) - Date.parse(points[0].start)) / 1000 : 60;
    const data = [
      points.map(p => Date.parse(p.start) / 1000),
      points.map(p => p.clicks),
      points.map(p => p.impressions),
      points.map(p => (p.impressions === 0 ? null : p.clicks / p.impressions)),
    ];
    if (previous) {
      data.push(points.map((_, i) => previous[i]?.clicks ?? null), points.map((_, i) => previous[i]?.impressions ?? null));
    }

    const partialStarts = points.filter(p => p.partial).map(p => Date.parse(p.start) / 1000);
    this.range = [Date.parse(answer.from) / 1000, Date.parse(answer.to) / 1000];
    const shape = `${zone}|${previous !== null}`;
    if (this.plot && shape === this.shape) {
      this.partial = { starts: partialStarts, seconds: bucketSeconds };
      this.plot.setData(data);
      return;
    }

    this.plot?.destroy();
    this.shape = shape;
    this.partial = { starts: partialStarts, seconds: bucketSeconds };
    this.plot = new uPlot(this.options(zone, previous !== null), data, this.container);
  }

  options(zone, withPrevious) {
    const series = [
      {},
      { label: "Clicks", scale: "count", stroke: colors.clicks, width: 2, value: (u, v) => (v === null ? "—" : count(v)) },
      { label: "Impressions", scale: "count", stroke: colors.impressions, width: 2, value: (u, v) => (v === null ? "—" : count(v)) },
      { label: "CTR", scale: "ctr", stroke: colors.ctr, width: 1.5, dash: [6, 4], value: (u, v) => (v === null ? "—" : ratio(v)) },
    ];
    if (withPrevious) {
      series.push(
        { label: "Clicks, previous period", scale: "count", stroke: colors.clicks, width: 1, dash: [2, 3], value: (u, v) => (v === null ? "—" : count(v)) },
        { label: "Impressions, previous period", scale: "count", stroke: colors.impressions, width: 1, dash: [2, 3], value: (u, v) => (v === null ? "—" : count(v)) },
      );
    }

    return {
      ...this.size(),
      tzDate: zone === "utc" ? seconds => uPlot.tzDate(new Date(seconds * 1000), "Etc/UTC") : undefined,
      scales: {
        // The whole asked range, so the last bucket (often still filling) has its width on the chart.
        x: { time: true, range: () => this.range },
        count: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] },
        ctr: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 0.01] },
      },
      axes: [
        { stroke: "#333" },
        { scale: "count", label: "Clicks and impressions", stroke: "#333", values: (u, values) => values.map(v => count(v)) },
        { scale: "ctr", side: 1, label: "CTR", stroke: colors.ctr, grid: { show: false }, values: (u, values) => values.map(v => ratio(v)) },
      ],
      series,
      hooks: { drawClear: [plot => this.shadePartialBuckets(plot)] },
    };
  }

  /** A bucket still filling is shaded and labelled, so a low last point does not read as a drop. */
  shadePartialBuckets(plot) {
    const { ctx, bbox } = plot;
    ctx.save();
    for (const start of this.partial?.starts ?? []) {
      const left = plot.valToPos(start, "x", true);
      const right = plot.valToPos(start + this.partial.seconds, "x", true);
      const from = Math.max(left, bbox.left);
      const width = Math.min(right, bbox.left + bbox.width) - from;
      if (width > 0) {
        ctx.fillStyle = "rgba(90, 90, 90, 0.12)";
        ctx.fillRect(from, bbox.top, width, bbox.height);
        ctx.fillStyle = "#444";
        ctx.font = `${Math.round(11 * devicePixelRatio)}px sans-serif`;
        ctx.fillText("partial", from + 4 * devicePixelRatio, bbox.top + 14 * devicePixelRatio);
      }
    }

    ctx.restore();
  }
}
