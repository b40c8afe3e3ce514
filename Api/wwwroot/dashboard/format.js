// How numbers and times read on the page, and how a panel becomes CSV.

const integers = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percents = new Intl.NumberFormat(undefined, { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const changes = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" });

export const count = value => integers.format(value);

export const ratio = value => percents.format(value);

/** The change from `previous` to `current` as a ratio of `previous`; null when there is nothing to compare with. */
export function change(current, previous) {
  return previous === 0 ? null : (current - previous) / previous;
}

export const changeText = value => changes.format(value);

/** The browser's own time zone name, e.g. "Europe/Paris". */
export const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function zoneName(zone) {
  return zone === "utc" ? "UTC" : localZone();
}

/** A time as the analyst reads it, in the chosen zone; `granularity` drops what a bucket start never has. */
export function time(iso, zone, granularity = "minute") {
  const options = { timeZone: zone === "utc" ? "UTC" : undefined, year: "numeric", month: "short", day: "numeric" };
  if (granularity !== "day") {
    Object.assign(options, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  }

  return new Intl.DateTimeFormat(undefined, options).format(new Date(iso));
}

export function timeWithSeconds(iso, zone) {
  return new Intl.DateTimeFormat(undefined, {
    timeZone: zone === "utc" ? "UTC" : undefined, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZoneName: "short",
  }).format(new Date(iso));
}

/** The value of a datetime-local input for `date` in the chosen zone. */
export function inputValue(date, zone) {
  const shifted = zone === "utc" ? date : new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

/** The instant a datetime-local input names in the chosen zone, or null when it is empty or not a time. */
export function fromInputValue(text, zone) {
  if (!text) {
    return null;
  }

  const date = new Date(zone === "utc" ? `${text}Z` : text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * RFC 4180 CSV with a header row. A cell that a spreadsheet would run as a formula (=, +, -, @ first)
 * is quoted with a leading apostrophe, so an ad's name cannot execute on the analyst's machine.
 */
export function csv(header, rows) {
  const cell = value => {
    let text = value === null || value === undefined ? "" : String(value);
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) {
      text = "'" + text;
    }

    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows].map(row => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

export function download(fileName, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
