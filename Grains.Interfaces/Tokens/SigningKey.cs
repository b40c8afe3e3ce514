namespace Orleans.AdClicks.Tokens;

/// <summary>An HMAC-SHA256 key and the id that tokens name it by.</summary>
public sealed record SigningKey(string Id, byte[] Secret)
{
    /// <summary>Key ids are short ASCII names so they fit the token's one-byte length field.</summary>
    public const int MaxIdLength = 32;

    /// <summary>Secrets shorter than this are refused: HMAC-SHA256 wants 256 bits.</summary>
    public const int MinSecretLength = 32;

    /// <summary>Parses the configuration form "keyId:base64secret".</summary>
    public static SigningKey Parse(string value)
    {
        var colon = value.IndexOf(':');
        if (colon <= 0)
        {
            throw new FormatException("A signing key is written \"keyId:base64secret\".");
        }

        var id = value[..colon];
        if (id.Length > MaxIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new FormatException($"A signing key id has at most {MaxIdLength} ASCII letters, digits, '-' or '_'.");
        }

        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(value[(colon + 1)..]);
        }
        catch (FormatException)
        {
            throw new FormatException($"The secret of signing key '{id}' is not base64.");
        }

        if (secret.Length < MinSecretLength)
        {
            throw new FormatException($"The secret of signing key '{id}' has fewer than {MinSecretLength} bytes.");
        }

        return new SigningKey(id, secret);
    }

    /// <summary>The configuration form "keyId:base64secret".</summary>
    public string Format() => $"{Id}:{Convert.ToBase64String(Secret)}";

    /// <summary>Hides the secret from logs and debugger views.</summary>
    public override string ToString() => $"SigningKey {{ Id = {Id} }}";
}
