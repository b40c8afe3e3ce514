using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Orleans.AdClicks.Lists;

/// <summary>
/// Moves a list of ids that a grain kept in its own state before the id lists (an advertiser's campaigns, a
/// campaign's ads, the advertiser directory) into an id list, in order, once; the grain clears its old field
/// only after this returns, so a move cut short is made again on the next activation.
/// </summary>
internal static partial class LegacyIdLists
{
    /// <summary>
    /// A silo's startup task: activates the advertiser directory, whose activation moves the old lists. A failure
    /// does not stop the silo; the move is made again by the directory's next activation (the next silo start).
    /// </summary>
    public static async Task MoveOnStartAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            await services.GetRequiredService<IGrainFactory>().GetGrain<IAdvertiserDirectoryGrain>(0).EnsureListsMovedAsync().WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogMoveFailed(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LegacyIdLists)), exception);
        }
    }

    /// <summary>
    /// Adds each id that <paramref name="tagOf"/> gives a tag (null: the id names nothing that exists, as the
    /// old listings skipped it) to each list, in order, unless the list holds it already from a move cut short.
    /// </summary>
    public static async Task MoveAsync(IReadOnlyList<Guid> ids, Func<Guid, Task<int?>> tagOf, params IIdListGrain[] lists)
    {
        foreach (var chunk in ids.Chunk(IIdPageGrain.Capacity))
        {
            var tags = await Task.WhenAll(chunk.Select(tagOf));
            var found = Enumerable.Range(0, chunk.Length).Where(i => tags[i] is not null).ToList();
            foreach (var list in lists)
            {
                await list.AddManyAsync([.. found.Select(i => chunk[i])], [.. found.Select(i => tags[i]!.Value)]);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Moving the lists kept in grain state before the id lists failed; the next start of a silo tries again")]
    private static partial void LogMoveFailed(ILogger logger, Exception exception);
}
