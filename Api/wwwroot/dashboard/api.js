// The dashboard's only door to the server: the public JSON API, with the analyst's API key on every call.

const keyStorage = "adclicks.apiKey";

/** An answer other than 2xx, with the server's problem+json when it sent one. */
export class ApiError extends Error {
  constructor(status, problem, retryAfterSeconds) {
    super(messageFor(status, problem, retryAfterSeconds));
    this.status = status;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 429 and 503 pass by themselves; the page retries them and says when. */
  get isTransient() {
    return this.status === 429 || this.status === 503 || this.status === 0;
  }
}

function messageFor(status, problem, retryAfterSeconds) {
  const retry = retryAfterSeconds ? ` Retrying in ${retryAfterSeconds} s.` : " Retrying shortly.";
  switch (status) {
    case 0: return "The server could not be reached." + retry;
    case 400: return "The server refused the request: " + validationText(problem);
    case 401: return "The API key was not accepted.";
    case 403: return "This API key may not see this.";
    case 404: return "Not found: it does not exist, or it belongs to another advertiser.";
    case 429: return "Too many requests from this key for now." + retry;
    case 503: return "Analytics are unavailable for a moment." + retry;
    case -1: return `This panel failed: ${problem?.title ?? "unknown error"}.`;
    default: return `The server answered ${status}${problem?.title ? `: ${problem.title}` : ""}.`;
  }
}

function validationText(problem) {
  const errors = problem?.errors ? Object.values(problem.errors).flat() : [];
  return errors.length > 0 ? errors.join(" ") : (problem?.detail ?? problem?.title ?? "bad request.");
}

export const apiKey = {
  get: () => sessionStorage.getItem(keyStorage),
  set: value => sessionStorage.setItem(keyStorage, value),
  clear: () => sessionStorage.removeItem(keyStorage),
};

/** GET path?query as JSON; undefined and null query values are left out. */
export async function getJson(path, query = {}, key = apiKey.get()) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") {
      params.set(name, value);
    }
  }

  const url = params.size > 0 ? `${path}?${params}` : path;
  let response;
  try {
    response = await fetch(url, { headers: { "X-Api-Key": key ?? "", Accept: "application/json" }, cache: "no-store" });
  } catch {
    throw new ApiError(0, null, 5);
  }

  if (response.ok) {
    return response.json();
  }

  const problem = (response.headers.get("Content-Type") ?? "").includes("json") ? await response.json().catch(() => null) : null;
  const retryAfter = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
  throw new ApiError(response.status, problem, Number.isFinite(retryAfter) ? retryAfter : null);
}

/** Every item of a paged list (page/pageSize/total), up to `most`. */
export async function getPages(path, query, most) {
  const items = [];
  let total = 0;
  for (let page = 1; items.length < most; page++) {
    const answer = await getJson(path, { ...query, page, pageSize: 100 });
    items.push(...answer.items);
    total = answer.total;
    if (answer.items.length === 0 || items.length >= total) {
      break;
    }
  }

  return { items: items.slice(0, most), total };
}
