using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Storage.Kusto.Client;
using Orleans.Runtime;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// Runs <see cref="KustoSchemaCheck"/> while the silo starts, before it joins the cluster: a silo never counts into a
/// database whose schema is not the one infra/kusto/schema.kql creates, and the start fails with the objects to fix.
/// </summary>
internal sealed partial class KustoSchemaStartupCheck(KustoSchemaCheck check, KustoConnection connection, ILogger<KustoSchemaStartupCheck> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(KustoSchemaStartupCheck), ServiceLifecycleStage.RuntimeInitialize, CheckAsync);

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await check.CheckAsync(connection.Database, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or KustoException)
        {
            LogRefused(ex, connection.ToString());
            throw;
        }

        LogChecked(connection.ToString());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Azure Data Explorer database {Database} has the schema of infra/kusto/schema.kql")]
    private partial void LogChecked(string database);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The silo does not start: Azure Data Explorer database {Database} failed the schema check")]
    private partial void LogRefused(Exception ex, string database);
}
