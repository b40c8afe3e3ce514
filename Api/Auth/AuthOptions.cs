namespace Orleans.AdClicks.Api.Auth;

/// <summary>The "AdClicks:Auth" section: the secrets behind X-Api-Key.</summary>
public sealed class AuthOptions
{
    public const string Section = "AdClicks:Auth";
    public const string AdminKeyKey = Section + ":" + nameof(AdminKey);
    public const string ApiKeyMacKeyKey = Section + ":" + nameof(ApiKeyMacKey);

    /// <summary>The admin API key. Generated in the data directory when empty (embedded profile only).</summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// Base64 of at least 32 random bytes: the HMAC key that signs every advertiser API key, so a key this
    /// service did not issue is refused without any I/O. Changing it invalidates every advertiser key.
    /// Generated in the data directory when empty (embedded profile only).
    /// </summary>
    public string? ApiKeyMacKey { get; set; }
}
