using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Api.InvalidTraffic;

/// <summary>
/// Decides, once per event at its beacon, whether it is invalid traffic and why. The verdict is stamped on the
/// event, so counting, recounting and reconciliation all apply the rules that held when it arrived.
/// </summary>
public sealed partial class InvalidTrafficRules : IHostedService, IDisposable
{
    private readonly IOptionsMonitor<InvalidTrafficOptions> _options;
    private readonly ILogger<InvalidTrafficRules> _logger;
    private readonly ClickWindows _adWindows;
    private readonly ClickWindows _campaignWindows;
    private readonly IDisposable? _optionsChanges;
    private readonly Lock _reloading = new();
    private PhysicalFileProvider? _files;
    private IDisposable? _fileChanges;
    private string _path;
    private volatile CrawlerList _crawlers;

    public InvalidTrafficRules(IOptionsMonitor<InvalidTrafficOptions> options, ILogger<InvalidTrafficRules> logger)
    {
        _options = options;
        _logger = logger;
        var current = options.CurrentValue;
        _adWindows = new ClickWindows(current.FloodTableSize);
        _campaignWindows = new ClickWindows(current.FloodTableSize);
        _path = current.ResolvedCrawlerListPath;
        // A missing or malformed list at start is a configuration error: it fails the start, naming the file.
        _crawlers = Loaded(CrawlerList.Load(_path, current.CrawlerCacheSize));
        Watch();
        _optionsChanges = options.OnChange(o =>
        {
            if (o.ResolvedCrawlerListPath != _path)
            {
                _path = o.ResolvedCrawlerListPath;
                Watch();
                Reload();
            }
        });
    }

    /// <summary>The crawler list in use.</summary>
    public CrawlerList Crawlers => _crawlers;

    /// <summary>Why the event is invalid traffic, or None when it is billable; rules in this order.</summary>
    public InvalidTrafficReason Classify(AdEventKind kind, ClickToken token, string? userAgent, string? clientAddress, DateTimeOffset now)
    {
        if (token.IsExpiredAt(now))
        {
            return InvalidTrafficReason.ExpiredToken;
        }

        if (_crawlers.IsCrawler(userAgent))
        {
            return InvalidTrafficReason.KnownCrawler;
        }

        if (kind != AdEventKind.Click)
        {
            return InvalidTrafficReason.None;
        }

        var options = _options.CurrentValue;
        if (now - token.IssuedAt < options.MinClickDelay)
        {
            return InvalidTrafficReason.TooEarly;
        }

        // The address is the truncated one the event keeps (/24, /48): a flood is counted per network, which
        // is what one NAT or one bot farm looks like, and nothing finer is ever stored.
        if (clientAddress is null)
        {
            return InvalidTrafficReason.None;
        }

        if (options.AdClickLimit > 0 && !_adWindows.Admit(clientAddress, token.AdId, token.ImpressionId, now, options.AdClickLimit, options.AdWindow))
        {
            return InvalidTrafficReason.AddressFlood;
        }

        if (options.CampaignClickLimit > 0 && !_campaignWindows.Admit(clientAddress, token.CampaignId, token.ImpressionId, now, options.CampaignClickLimit, options.CampaignWindow))
        {
            return InvalidTrafficReason.CampaignFlood;
        }

        return InvalidTrafficReason.None;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _optionsChanges?.Dispose();
        _fileChanges?.Dispose();
        _files?.Dispose();
    }

    private void Watch()
    {
        lock (_reloading)
        {
            _fileChanges?.Dispose();
            _files?.Dispose();
            var full = Path.GetFullPath(_path);
            _files = new PhysicalFileProvider(Path.GetDirectoryName(full)!);
            var provider = _files;
            var name = Path.GetFileName(full);
            _fileChanges = ChangeToken.OnChange(() => provider.Watch(name), Reload);
        }
    }

    /// <summary>Reads the list again; a file that does not read keeps the list in use.</summary>
    private void Reload()
    {
        lock (_reloading)
        {
            try
            {
                _crawlers = Loaded(CrawlerList.Load(_path, _options.CurrentValue.CrawlerCacheSize));
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                LogReloadFailed(_path, ex);
            }
        }
    }

    private CrawlerList Loaded(CrawlerList list)
    {
        LogLoaded(list.Patterns, _path);
        if (list.Rejected.Count > 0)
        {
            LogRejected(list.Rejected.Count, _path, string.Join(" ", list.Rejected));
        }

        return list;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Crawler list: {Patterns} patterns from {Path}")]
    private partial void LogLoaded(int patterns, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Crawler list: {Count} patterns of {Path} do not compile in .NET and are left out: {Patterns}")]
    private partial void LogRejected(int count, string path, string patterns);

    [LoggerMessage(Level = LogLevel.Error, Message = "Crawler list: {Path} did not load; the previous list stays in use")]
    private partial void LogReloadFailed(string path, Exception exception);
}
