namespace Orleans.AdClicks.Tokens;

/// <summary>Why a token was or was not accepted.</summary>
public enum TokenVerdict
{
    Valid,

    /// <summary>Not of the token's shape: wrong length, bad base64, unknown version.</summary>
    Malformed,

    /// <summary>Well formed, but the signature does not verify or the key id is unknown.</summary>
    Forged,
}
