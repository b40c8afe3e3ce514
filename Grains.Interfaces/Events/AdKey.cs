using System.Globalization;

namespace Orleans.AdClicks.Events;

/// <summary>
/// The stream and AdGrain key of one ad's counting shard: "adId" for shard 0, "adId#shard" otherwise.
/// A hot ad is split over shards by a hash of the impression id, so a duplicate always meets its original.
/// </summary>
[GenerateSerializer, Immutable, Alias("adclicks.ad-key")]
public readonly record struct AdKey([property: Id(0)] Guid AdId, [property: Id(1)] int Shard)
{
    /// <summary>The shard of <paramref name="impressionId"/> when an ad is counted by <paramref name="shards"/> grains.</summary>
    public static AdKey For(Guid adId, Guid impressionId, int shards)
    {
        if (shards <= 1)
        {
            return new AdKey(adId, 0);
        }

        // The first bytes of a random v4 GUID are uniformly distributed; no extra hashing needed.
        Span<byte> bytes = stackalloc byte[16];
        impressionId.TryWriteBytes(bytes);
        var hash = BitConverter.ToUInt32(bytes);
        return new AdKey(adId, (int)(hash % (uint)shards));
    }

    /// <summary>Parses a grain or stream key; false when it is not one.</summary>
    public static bool TryParse(string? key, out AdKey adKey)
    {
        adKey = default;
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        var hash = key.IndexOf('#');
        var idPart = hash < 0 ? key.AsSpan() : key.AsSpan(0, hash);
        var shard = 0;
        if (!Guid.TryParseExact(idPart, "N", out var adId)
            || (hash >= 0 && (!int.TryParse(key.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out shard) || shard <= 0)))
        {
            return false;
        }

        adKey = new AdKey(adId, shard);
        return true;
    }

    /// <summary>The key as used for the AdGrain and the stream.</summary>
    public override string ToString() =>
        Shard == 0 ? AdId.ToString("N") : string.Create(CultureInfo.InvariantCulture, $"{AdId:N}#{Shard}");
}
