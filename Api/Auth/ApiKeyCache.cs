using Microsoft.Extensions.Caching.Memory;

namespace Orleans.AdClicks.Api.Auth;

/// <summary>
/// What advertiser grains said about authentic keys, briefly, so a request costs no grain call. Only keys
/// whose MAC verified get here, that is keys this service issued (current, rotated or revoked), so the
/// cache cannot be filled with made-up keys; the size limit bounds it anyway.
/// </summary>
public sealed class ApiKeyCache : IDisposable
{
    /// <summary>Also how long a rotated or revoked key keeps working.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    /// <summary>Far more keys than are in use within <see cref="CacheFor"/>; an entry is about 200 bytes.</summary>
    public const int MaxEntries = 100_000;

    private readonly MemoryCache _cache;

    public ApiKeyCache(int maxEntries = MaxEntries) => _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = maxEntries });

    /// <summary>Entries held now.</summary>
    public int Count => _cache.Count;

    public bool TryGet(byte[] keyHash, out bool valid) => _cache.TryGetValue(Convert.ToHexString(keyHash), out valid);

    public void Set(byte[] keyHash, bool valid) =>
        _cache.Set(Convert.ToHexString(keyHash), valid, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = CacheFor });

    public void Dispose() => _cache.Dispose();
}
