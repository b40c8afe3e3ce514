namespace Orleans.AdClicks.Api.Auth;

/// <summary>The admin API key's hash; the key itself is kept only in configuration or the data directory.</summary>
public sealed class AdminKey(string key, bool generated)
{
    public byte[] Hash { get; } = ApiKeys.Hash(key);

    /// <summary>True when this start generated the key, so it is shown once.</summary>
    public bool Generated { get; } = generated;

    /// <summary>The key, for the one startup line that shows a generated key.</summary>
    public string Key { get; } = key;
}
