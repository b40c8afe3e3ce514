namespace Orleans.AdClicks.Events;

/// <summary>
/// Splits the ads into a fixed number of slices by the first byte of the ad id (its first two hex digits),
/// so work over every ad (reconciliation) fans out, and stores can list one slice without reading the rest.
/// Ad ids are random v4 GUIDs, so slices are even. The count is part of stored layouts: never change it.
/// </summary>
public static class AdSlice
{
    public const int Count = 256;

    /// <summary>The slice of <paramref name="adId"/>: 0–255.</summary>
    public static int Of(Guid adId)
    {
        Span<byte> bytes = stackalloc byte[16];
        adId.TryWriteBytes(bytes, bigEndian: true, out _);
        return bytes[0];
    }

    /// <summary>Throws unless <paramref name="slice"/> is 0–255.</summary>
    public static void ThrowIfOutOfRange(int slice, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(slice))] string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slice, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slice, Count, name);
    }

    /// <summary>The slice as the first two hex digits its ad ids start with ("00"–"ff").</summary>
    public static string Prefix(int slice)
    {
        ThrowIfOutOfRange(slice);
        return slice.ToString("x2", System.Globalization.CultureInfo.InvariantCulture);
    }
}
