using System.Net;
using BitFaster.Caching.Lru;
using MaxMind.GeoIP2;

namespace Orleans.AdClicks.Enrichment;

/// <summary>What an event is enriched with once, at the beacon: low-cardinality families, never versions.</summary>
public sealed record EnrichedFields(string? Device, string? Browser, string? Os, string? Country)
{
    public static readonly EnrichedFields None = new(null, null, null, null);
}

/// <summary>
/// Classifies a user agent (cached per distinct string in a bounded LRU whose hits take no lock) and looks the
/// full client address up in the country database when one is configured.
/// </summary>
public sealed class EventEnricher : IDisposable
{
    public const string Desktop = "desktop";
    public const string Mobile = "mobile";
    public const string Tablet = "tablet";
    public const string Bot = "bot";
    public const string OtherDevice = "other";

    // Families come from templates over the user agent: a cap keeps a hostile one from minting long values.
    private const int MaxFamilyLength = 48;

    private static readonly HashSet<string> MobileSystems = new(StringComparer.Ordinal)
    {
        "iOS", "Windows Phone", "BlackBerry OS", "Symbian OS", "KaiOS", "Firefox OS", "webOS", "Tizen", "Sailfish", "Bada",
    };

    private static readonly HashSet<string> DesktopSystems = new(StringComparer.Ordinal)
    {
        "Windows", "Mac OS X", "Linux", "Ubuntu", "Chrome OS", "Fedora", "Debian", "FreeBSD", "OpenBSD", "NetBSD",
        "Solaris", "Mint", "Red Hat", "SUSE", "Gentoo", "Mandriva", "Slackware", "Arch Linux",
    };

    private readonly UserAgentRules rules;
    private readonly DatabaseReader? countries;
    private readonly ConcurrentLru<string, EnrichedFields> cache;

    public EventEnricher(UserAgentRules rules, DatabaseReader? countries, int cacheCapacity)
    {
        this.rules = rules;
        this.countries = countries;
        cache = new ConcurrentLru<string, EnrichedFields>(cacheCapacity);
    }

    /// <summary>
    /// Opens the country database at <paramref name="path"/> (null: no country); a path that is set but
    /// cannot be read fails here, at startup, rather than leave every event without a country.
    /// </summary>
    public static DatabaseReader? OpenCountries(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        try
        {
            return new DatabaseReader(path, MaxMind.Db.FileAccessMode.Memory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MaxMind.Db.InvalidDatabaseException)
        {
            throw new InvalidOperationException(
                $"AdClicks:Enrichment:CountryDatabasePath is '{path}', which is no readable MaxMind-format country database: {ex.Message}", ex);
        }
    }

    /// <summary>Distinct user agents whose classes are cached.</summary>
    public int CachedUserAgents => cache.Count;

    public EnrichedFields Enrich(string? userAgent, IPAddress? client)
    {
        var classes = userAgent is null ? EnrichedFields.None : Classes(userAgent);
        var country = Country(client);
        return country is null ? classes : classes with { Country = country };
    }

    /// <summary>The user agent's device class, browser and OS, uncached: what a cache miss costs.</summary>
    public EnrichedFields Classify(string userAgent) => Classify(userAgent, out _);

    private EnrichedFields Classes(string userAgent)
    {
        if (cache.TryGet(userAgent, out var cached))
        {
            return cached;
        }

        // A rule that timed out (a long GC pause, a loaded machine) may have hidden a more specific match: that
        // answer serves this event only, and the next event with the user agent runs the rules again.
        var classes = Classify(userAgent, out var timedOut);
        if (!timedOut)
        {
            cache.AddOrUpdate(userAgent, classes);
        }

        return classes;
    }

    private EnrichedFields Classify(string userAgent, out bool timedOut)
    {
        var browser = rules.Browser(userAgent, out var browserTimedOut);
        var os = rules.Os(userAgent, out var osTimedOut);
        var device = rules.Device(userAgent, out var deviceTimedOut);
        timedOut = browserTimedOut || osTimedOut || deviceTimedOut;
        return new EnrichedFields(DeviceClass(userAgent, browser, os, device), Cap(browser), Cap(os), null);
    }

    /// <summary>
    /// uap-core names hardware, not its class, so: "Spider" (uap's bot family) is bot; an iPad, Kindle or a
    /// family/model saying tablet is tablet; Android without "Mobile" in the user agent is tablet (Google's rule
    /// for Android tablets) and with it mobile; a phone OS, or any hardware uap identified, is mobile; a
    /// desktop OS on unidentified or Mac hardware is desktop; anything else is other.
    /// </summary>
    public static string DeviceClass(string userAgent, string browser, string os, DeviceParts device)
    {
        if (device.Family == "Spider" || browser == "Spider")
        {
            return Bot;
        }

        if (device.Family.Contains("iPad", StringComparison.Ordinal)
            || device.Family.Contains("Kindle", StringComparison.Ordinal)
            || device.Family.Contains("Tablet", StringComparison.OrdinalIgnoreCase)
            || (device.Model?.Contains("Tablet", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return Tablet;
        }

        if (os == "Android")
        {
            return userAgent.Contains("Mobile", StringComparison.Ordinal) ? Mobile : Tablet;
        }

        if (MobileSystems.Contains(os) || device.Family is "iPhone" or "iPod" or "Generic Smartphone" or "Generic Feature Phone")
        {
            return Mobile;
        }

        if (DesktopSystems.Contains(os) && device.Family is UserAgentRules.Other or "Mac")
        {
            return Desktop;
        }

        return device.Family == UserAgentRules.Other ? OtherDevice : Mobile;
    }

    private string? Country(IPAddress? client)
    {
        if (countries is null || client is null)
        {
            return null;
        }

        return countries.TryCountry(client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client, out var response)
            ? response?.Country.IsoCode
            : null;
    }

    private static string Cap(string family) => family.Length <= MaxFamilyLength ? family : family[..MaxFamilyLength];

    public void Dispose() => countries?.Dispose();
}
