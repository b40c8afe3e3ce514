using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// A minute-row write refused because too many rows already wait for ADX: expected while the cluster throttles or
/// is away, not a fault of the writer. The rows were not taken; the caller keeps them and writes them again.
/// </summary>
public sealed class KustoBacklogFullException(string message) : AggregateBacklogFullException(message);
