namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>
/// A minute-row write refused because the store's backend keeps too many rows waiting already: expected while it
/// throttles or is away, not a fault. The rows were not taken; the caller keeps them and offers them again later.
/// Backend-neutral, so the counting grain tells this case apart without knowing the backend.
/// </summary>
public class AggregateBacklogFullException(string message) : InvalidOperationException(message);
