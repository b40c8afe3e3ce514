namespace Orleans.AdClicks.Api.Beacons;

/// <summary>The click log refused an append; the beacon answers 503 and the browser may retry.</summary>
public sealed class ClickLogUnavailableException(Exception inner)
    : Exception("The click log is unavailable.", inner);
